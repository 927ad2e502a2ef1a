-- Rows as a Django site holds them after `migrate` (content types and permissions are
-- what its post_migrate handlers insert), one superuser, a staff user, a group, an admin
-- log entry and a session. Explicit ids as a data dump has them, then each identity
-- sequence moved past them.

INSERT INTO django_content_type (id, app_label, model) VALUES
    (1, 'admin', 'logentry'),
    (2, 'auth', 'permission'),
    (3, 'auth', 'group'),
    (4, 'auth', 'user'),
    (5, 'contenttypes', 'contenttype'),
    (6, 'sessions', 'session');

INSERT INTO auth_permission (id, name, content_type_id, codename) VALUES
    (1, 'Can add log entry', 1, 'add_logentry'),
    (2, 'Can change log entry', 1, 'change_logentry'),
    (3, 'Can delete log entry', 1, 'delete_logentry'),
    (4, 'Can view log entry', 1, 'view_logentry'),
    (9, 'Can add group', 3, 'add_group'),
    (10, 'Can change group', 3, 'change_group'),
    (13, 'Can add user', 4, 'add_user'),
    (14, 'Can change user', 4, 'change_user'),
    (16, 'Can view user', 4, 'view_user');

INSERT INTO auth_group (id, name) VALUES
    (1, 'Editors'),
    (2, 'Support');

INSERT INTO auth_group_permissions (id, group_id, permission_id) VALUES
    (1, 1, 14), (2, 1, 16), (3, 2, 16);

INSERT INTO auth_user (id, password, last_login, is_superuser, username, first_name, last_name, email,
                       is_staff, is_active, date_joined) VALUES
    (1, 'pbkdf2_sha256$870000$c0rpusSaltA$Q2Y0bGh2c1Jjb3JwdXNvbmx5bm90YXJlYWxoYXNoPT0=', '2024-04-02 09:12:44.120911+00',
     true, 'admin', '', '', 'admin@example.com', true, true, '2024-04-01 08:00:00.000001+00'),
    (2, 'pbkdf2_sha256$870000$c0rpusSaltB$YW5vdGhlcmZha2VoYXNob25seWZvcnRoZWNvcnB1cz0=', NULL,
     false, 'marie.curie', 'Marie', 'Curie', 'marie@example.org', true, true, '2024-04-01 08:05:00+00'),
    (3, '!unusablePasswordXyZ', NULL,
     false, 'api-bot', '', '', '', false, false, '2024-04-03 10:00:00+00');

INSERT INTO auth_user_groups (id, user_id, group_id) VALUES
    (1, 2, 1), (2, 2, 2);

INSERT INTO auth_user_user_permissions (id, user_id, permission_id) VALUES
    (1, 3, 16);

INSERT INTO django_admin_log (id, action_time, object_id, object_repr, action_flag, change_message, content_type_id, user_id) VALUES
    (1, '2024-04-02 09:15:03.5+00', '2', 'marie.curie', 1, '[{"added": {}}]', 4, 1),
    (2, '2024-04-02 09:16:10+00', '2', 'marie.curie', 2, '[{"changed": {"fields": ["First name", "Last name", "Staff status"]}}]', 4, 1),
    (3, '2024-04-02 09:20:00+00', '1', 'Editors', 1, '[{"added": {}}]', 3, 1);

INSERT INTO django_session (session_key, session_data, expire_date) VALUES
    ('q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6', '.eJxVjEEKgzAQRO-yZxG0qRhPvYmEzTrWQDaRJIJQevdauxDv-Z9lQmm_corpus', '2024-04-16 09:12:44.1+00'),
    ('zxcvbnmasdfghjklqwertyuiop123456', '.eJxVjDsOwjAQBe_y6hQOcexEdNwkWq-3xBTZVKwI3J2f0M68mTcrVkpFdc8Kk1t0', '2024-03-01 00:00:00+00');

INSERT INTO django_migrations (id, app, name, applied) VALUES
    (1, 'contenttypes', '0001_initial', '2024-04-01 07:59:58.1+00'),
    (2, 'auth', '0001_initial', '2024-04-01 07:59:58.2+00'),
    (3, 'admin', '0001_initial', '2024-04-01 07:59:58.3+00'),
    (4, 'sessions', '0001_initial', '2024-04-01 07:59:58.4+00');

SELECT setval(pg_get_serial_sequence('django_content_type', 'id'), 6);
SELECT setval(pg_get_serial_sequence('auth_permission', 'id'), 16);
SELECT setval(pg_get_serial_sequence('auth_group', 'id'), 2);
SELECT setval(pg_get_serial_sequence('auth_group_permissions', 'id'), 3);
SELECT setval(pg_get_serial_sequence('auth_user', 'id'), 3);
SELECT setval(pg_get_serial_sequence('auth_user_groups', 'id'), 2);
SELECT setval(pg_get_serial_sequence('auth_user_user_permissions', 'id'), 1);
SELECT setval(pg_get_serial_sequence('django_admin_log', 'id'), 3);
SELECT setval(pg_get_serial_sequence('django_migrations', 'id'), 4);
