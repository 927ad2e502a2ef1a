-- A few rows per table, with fixed ids so that tests can find them again.

INSERT INTO "users" ("id", "email", "name", "role", "email_verified_at", "created_at", "updated_at") VALUES
    ('3f2504e0-4f89-11d3-9a0c-0305e82c3301', 'ana@example.com', 'Ana Lima', 'ADMIN', '2024-01-05 10:00:00+00', '2024-01-05 09:58:00+00', '2024-01-05 10:00:00+00'),
    ('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'ben@example.com', 'Ben O''Neil', 'EDITOR', NULL, '2024-01-06 12:00:00+00', '2024-01-06 12:00:00+00'),
    ('9c858901-8a57-4791-81fe-4c455b099bc9', 'chloé@example.fr', NULL, 'USER', NULL, '2024-02-01 08:15:00+00', '2024-02-01 08:15:00+00');

INSERT INTO "profiles" ("user_id", "bio", "avatar_url", "website") VALUES
    ('3f2504e0-4f89-11d3-9a0c-0305e82c3301', 'Writes about databases.', 'https://cdn.example.com/a/ana.png', 'https://ana.example.com'),
    ('6ba7b810-9dad-11d1-80b4-00c04fd430c8', NULL, NULL, NULL);

INSERT INTO "posts" ("id", "author_id", "title", "slug", "body", "status", "published_at", "view_count", "metadata", "created_at", "updated_at") VALUES
    ('0d3a4b5c-1111-4a2b-8c3d-000000000001', '3f2504e0-4f89-11d3-9a0c-0305e82c3301', 'Hello, world', 'hello-world',
     'First post.', 'PUBLISHED', '2024-01-10 09:00:00+00', 42, '{"seo_title": "Hello"}', '2024-01-09 17:00:00+00', '2024-01-10 09:00:00+00'),
    ('0d3a4b5c-1111-4a2b-8c3d-000000000002', '6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'Indexes, explained', 'indexes-explained',
     'B-trees all the way down; it''s simpler than it looks.', 'DRAFT', NULL, 0, '{}', '2024-02-02 11:00:00+00', '2024-02-03 16:20:00+00'),
    ('0d3a4b5c-1111-4a2b-8c3d-000000000003', '3f2504e0-4f89-11d3-9a0c-0305e82c3301', 'Old news', 'old-news',
     'Kept for the links.', 'ARCHIVED', '2023-06-01 00:00:00+00', 7, '{}', '2023-05-30 10:00:00+00', '2024-01-05 10:00:00+00');

INSERT INTO "tags" ("id", "name") VALUES
    ('7a1e0000-0000-4000-8000-000000000001', 'postgres'),
    ('7a1e0000-0000-4000-8000-000000000002', 'meta');

INSERT INTO "post_tags" ("post_id", "tag_id") VALUES
    ('0d3a4b5c-1111-4a2b-8c3d-000000000001', '7a1e0000-0000-4000-8000-000000000002'),
    ('0d3a4b5c-1111-4a2b-8c3d-000000000002', '7a1e0000-0000-4000-8000-000000000001');

INSERT INTO "comments" ("id", "post_id", "author_id", "parent_id", "body", "is_hidden", "created_at") VALUES
    ('c0000000-0000-4000-8000-000000000001', '0d3a4b5c-1111-4a2b-8c3d-000000000001', '6ba7b810-9dad-11d1-80b4-00c04fd430c8', NULL,
     'Welcome!', false, '2024-01-10 10:00:00+00'),
    ('c0000000-0000-4000-8000-000000000002', '0d3a4b5c-1111-4a2b-8c3d-000000000001', '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
     'c0000000-0000-4000-8000-000000000001', 'Thanks 🙂', false, '2024-01-10 10:05:00+00'),
    ('c0000000-0000-4000-8000-000000000003', '0d3a4b5c-1111-4a2b-8c3d-000000000001', NULL, NULL,
     'spam spam spam', true, '2024-01-11 03:00:00+00');

INSERT INTO "invoices" ("user_id", "number", "amount", "currency", "status", "due_on", "paid_at") VALUES
    ('3f2504e0-4f89-11d3-9a0c-0305e82c3301', 'INV-2024-0001', 9.00, 'EUR', 'PAID', '2024-02-15', '2024-02-10 08:00:00+00'),
    ('3f2504e0-4f89-11d3-9a0c-0305e82c3301', 'INV-2024-0002', 9.00, 'EUR', 'OPEN', '2024-03-15', NULL),
    ('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'INV-2024-0003', 90.00, 'USD', 'VOID', '2024-03-15', NULL);

INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "logs", "rolled_back_at", "started_at", "applied_steps_count") VALUES
    ('b7c1b2a0-5f0e-4c4e-9e55-6d1f4b0c0001', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', '2024-01-05 09:30:01+00',
     '20240105093000_init', NULL, NULL, '2024-01-05 09:30:00+00', 1),
    ('b7c1b2a0-5f0e-4c4e-9e55-6d1f4b0c0002', '2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae', '2024-02-12 14:15:01+00',
     '20240212141500_billing', NULL, NULL, '2024-02-12 14:15:00+00', 1),
    ('b7c1b2a0-5f0e-4c4e-9e55-6d1f4b0c0003', 'fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9', '2024-03-01 12:00:01+00',
     '20240301120000_checks_and_comments', NULL, NULL, '2024-03-01 12:00:00+00', 1);
