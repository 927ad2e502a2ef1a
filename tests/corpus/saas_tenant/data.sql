-- Two tenants, loaded the way the application writes: app.tenant_id set for each
-- tenant's rows, so the policies' WITH CHECK holds even for a role without BYPASSRLS.
-- The first tenant is created through the sign-up function, the second by hand.

SELECT set_config('app.tenant_id', '5d0e6a9c-0b8f-4c1e-9a57-3f1f6d2b7c01', false);

INSERT INTO app.users (tenant_id, email, display_name, is_admin) VALUES
    ('5d0e6a9c-0b8f-4c1e-9a57-3f1f6d2b7c01', 'Ada@Example.com', 'Ada Lovelace', true),
    ('5d0e6a9c-0b8f-4c1e-9a57-3f1f6d2b7c01', 'charles@example.com', 'Charles Babbage', false);

INSERT INTO app.tenants (id, name, slug, plan, owner_user_id)
SELECT '5d0e6a9c-0b8f-4c1e-9a57-3f1f6d2b7c01', 'Analytical Engines Ltd', 'analytical', 'team', id
FROM app.users WHERE email = 'ada@example.com';

SELECT set_config('app.user_id', (SELECT id::text FROM app.users WHERE email = 'ada@example.com'), false);

INSERT INTO app.projects (tenant_id, name, owner_id)
SELECT '5d0e6a9c-0b8f-4c1e-9a57-3f1f6d2b7c01', v.name, u.id
FROM (VALUES ('Difference engine'), ('Notes on the engine')) AS v (name)
CROSS JOIN app.users u WHERE u.email = 'ada@example.com';

INSERT INTO app.tasks (tenant_id, project_id, title, status, assignee_id, due_on)
SELECT p.tenant_id, p.id, v.title, v.status::app.task_status, u.id, v.due_on::date
FROM (VALUES ('Difference engine', 'Cut the brass wheels', 'in_progress', 'charles@example.com', '1834-06-01'),
             ('Difference engine', 'Fund the second engine', 'blocked', 'charles@example.com', NULL),
             ('Notes on the engine', 'Note G: Bernoulli numbers', 'done', 'ada@example.com', '1843-09-01'))
     AS v (project, title, status, assignee, due_on)
JOIN app.projects p ON p.name = v.project
JOIN app.users u ON u.email = v.assignee::public.citext;

INSERT INTO app.tasks (tenant_id, project_id, parent_task_id, title)
SELECT t.tenant_id, t.project_id, t.id, 'Order brass'
FROM app.tasks t WHERE t.title = 'Cut the brass wheels';

INSERT INTO app.labels (tenant_id, project_id, name, color)
SELECT '5d0e6a9c-0b8f-4c1e-9a57-3f1f6d2b7c01', NULL, 'urgent', '#d73a4a'
UNION ALL
SELECT p.tenant_id, p.id, 'hardware', '#0e8a16' FROM app.projects p WHERE p.name = 'Difference engine';

INSERT INTO app.time_entries (tenant_id, task_id, user_id, during, note)
SELECT t.tenant_id, t.id, u.id, v.during::tstzrange, v.note
FROM (VALUES ('[2024-03-04 09:00+00,2024-03-04 12:30+00)', 'lathe'),
             ('[2024-03-04 13:30+00,2024-03-04 17:00+00)', NULL)) AS v (during, note)
JOIN app.tasks t ON t.title = 'Cut the brass wheels'
JOIN app.users u ON u.email = 'charles@example.com';

UPDATE app.projects SET archived_at = '2024-01-01 00:00+00' WHERE name = 'Notes on the engine';

-- Second tenant
SELECT set_config('app.tenant_id', '9b2c4f3e-7a1d-4e55-8c2b-1d0f9e8a7b02', false);

INSERT INTO app.users (tenant_id, email, display_name, is_admin) VALUES
    ('9b2c4f3e-7a1d-4e55-8c2b-1d0f9e8a7b02', 'grace@example.org', 'Grace Hopper', true);

INSERT INTO app.tenants (id, name, slug, owner_user_id)
SELECT '9b2c4f3e-7a1d-4e55-8c2b-1d0f9e8a7b02', 'Compilers Inc', 'compilers', id
FROM app.users WHERE email = 'grace@example.org';

SELECT set_config('app.user_id', (SELECT id::text FROM app.users WHERE email = 'grace@example.org'), false);

INSERT INTO app.projects (tenant_id, name, owner_id)
SELECT '9b2c4f3e-7a1d-4e55-8c2b-1d0f9e8a7b02', 'A-0', id FROM app.users WHERE email = 'grace@example.org';

INSERT INTO app.tasks (tenant_id, project_id, title, assignee_id)
SELECT p.tenant_id, p.id, 'Find the moth', p.owner_id FROM app.projects p WHERE p.name = 'A-0';

INSERT INTO app.labels (tenant_id, project_id, name)
VALUES ('9b2c4f3e-7a1d-4e55-8c2b-1d0f9e8a7b02', NULL, 'urgent');

-- A third tenant through the sign-up function (as the application does it).
SELECT app.create_tenant('Difference Co', 'difference', 'owner@difference.example', 'Owner');

RESET app.tenant_id;
RESET app.user_id;
