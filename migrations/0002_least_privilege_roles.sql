-- schemagen migration 0002_least_privilege_roles: written by `schemagen migrate new` from schema.yaml.
-- Reviewed, then committed; schemagen.sum holds its checksum. Apply with `schemagen migrate apply`.
-- schemagen:transaction
-- Transaction: schema changes
-- a group role schema.yaml declares: created where missing (NOLOGIN, no password)
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'spendsense_app') THEN
        CREATE ROLE "spendsense_app" NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object THEN
    NULL;  -- created meanwhile by a concurrent run
END
$$;
-- a group role schema.yaml declares: created where missing (NOLOGIN, no password)
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'spendsense_readonly') THEN
        CREATE ROLE "spendsense_readonly" NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object THEN
    NULL;  -- created meanwhile by a concurrent run
END
$$;
-- a group role schema.yaml declares: created where missing (NOLOGIN, no password)
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'spendsense_operator') THEN
        CREATE ROLE "spendsense_operator" NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object THEN
    NULL;  -- created meanwhile by a concurrent run
END
$$;
-- opens access: spendsense_app gets select on column operator_actions.id (INSERT ... RETURNING id (the ORM reads back the generated key) needs SELECT on id, and on id alone.)
GRANT SELECT ("id") ON TABLE "public"."operator_actions" TO "spendsense_app";
-- opens access: spendsense_app gets usage on schema public (Every role must be able to look up objects in the schema; CREATE is not granted, so no role can add tables.)
GRANT USAGE ON SCHEMA "public" TO "spendsense_app";
-- opens access: spendsense_app gets delete, insert, select, update on table accounts (The API reads and writes the user-data tables (DELETE serves consent withdrawal and erasure); no TRUNCATE.)
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE "public"."accounts" TO "spendsense_app";
-- opens access: spendsense_app gets delete, insert, select, update on table chat_logs (The API reads and writes the user-data tables (DELETE serves consent withdrawal and erasure); no TRUNCATE.)
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE "public"."chat_logs" TO "spendsense_app";
-- opens access: spendsense_app gets delete, insert, select, update on table computed_features (The API reads and writes the user-data tables (DELETE serves consent withdrawal and erasure); no TRUNCATE.)
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE "public"."computed_features" TO "spendsense_app";
-- opens access: spendsense_app gets delete, insert, select, update on table consent_records (The API reads and writes the user-data tables (DELETE serves consent withdrawal and erasure); no TRUNCATE.)
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE "public"."consent_records" TO "spendsense_app";
-- opens access: spendsense_app gets delete, insert, select, update on table decision_traces (The API reads and writes the user-data tables (DELETE serves consent withdrawal and erasure); no TRUNCATE.)
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE "public"."decision_traces" TO "spendsense_app";
-- opens access: spendsense_app gets insert on table operator_actions (Operator actions are recorded through the API; INSERT only, so the audit trail cannot be rewritten or deleted by the application.)
GRANT INSERT ON TABLE "public"."operator_actions" TO "spendsense_app";
-- opens access: spendsense_app gets delete, insert, select, update on table persona_assignments (The API reads and writes the user-data tables (DELETE serves consent withdrawal and erasure); no TRUNCATE.)
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE "public"."persona_assignments" TO "spendsense_app";
-- opens access: spendsense_app gets delete, insert, select, update on table profiles (The API reads and writes the user-data tables (DELETE serves consent withdrawal and erasure); no TRUNCATE.)
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE "public"."profiles" TO "spendsense_app";
-- opens access: spendsense_app gets delete, insert, select, update on table recommendations (The API reads and writes the user-data tables (DELETE serves consent withdrawal and erasure); no TRUNCATE.)
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE "public"."recommendations" TO "spendsense_app";
-- opens access: spendsense_app gets delete, insert, select, update on table transactions (The API reads and writes the user-data tables (DELETE serves consent withdrawal and erasure); no TRUNCATE.)
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE "public"."transactions" TO "spendsense_app";
-- opens access: spendsense_operator gets select on column operator_actions.id (INSERT ... RETURNING id (the ORM reads back the generated key) needs SELECT on id, and on id alone.)
GRANT SELECT ("id") ON TABLE "public"."operator_actions" TO "spendsense_operator";
-- opens access: spendsense_operator gets usage on schema public (Every role must be able to look up objects in the schema; CREATE is not granted, so no role can add tables.)
GRANT USAGE ON SCHEMA "public" TO "spendsense_operator";
-- opens access: spendsense_operator gets select on table accounts (Analytics and the operator dashboard read every table, including the audit trail.)
GRANT SELECT ON TABLE "public"."accounts" TO "spendsense_operator";
-- opens access: spendsense_operator gets select on table chat_logs (Analytics and the operator dashboard read every table, including the audit trail.)
GRANT SELECT ON TABLE "public"."chat_logs" TO "spendsense_operator";
-- opens access: spendsense_operator gets select on table computed_features (Analytics and the operator dashboard read every table, including the audit trail.)
GRANT SELECT ON TABLE "public"."computed_features" TO "spendsense_operator";
-- opens access: spendsense_operator gets select on table consent_records (Analytics and the operator dashboard read every table, including the audit trail.)
GRANT SELECT ON TABLE "public"."consent_records" TO "spendsense_operator";
-- opens access: spendsense_operator gets select on table decision_traces (Analytics and the operator dashboard read every table, including the audit trail.)
GRANT SELECT ON TABLE "public"."decision_traces" TO "spendsense_operator";
-- opens access: spendsense_operator gets insert, select on table operator_actions (Operator actions are recorded through the API; INSERT only, so the audit trail cannot be rewritten or deleted by the application.)
GRANT INSERT, SELECT ON TABLE "public"."operator_actions" TO "spendsense_operator";
-- opens access: spendsense_operator gets insert, select on table persona_assignments (An operator override assigns a new persona as a new row; earlier assignments stay as history.)
GRANT INSERT, SELECT ON TABLE "public"."persona_assignments" TO "spendsense_operator";
-- opens access: spendsense_operator gets select on table profiles (Analytics and the operator dashboard read every table, including the audit trail.)
GRANT SELECT ON TABLE "public"."profiles" TO "spendsense_operator";
-- opens access: spendsense_operator gets select on table recommendations (Analytics and the operator dashboard read every table, including the audit trail.)
GRANT SELECT ON TABLE "public"."recommendations" TO "spendsense_operator";
-- opens access: spendsense_operator gets select on table transactions (Analytics and the operator dashboard read every table, including the audit trail.)
GRANT SELECT ON TABLE "public"."transactions" TO "spendsense_operator";
-- opens access: spendsense_readonly gets select on tables created later (Tables added later (created by the role that runs apply) are readable for analytics at once.)
ALTER DEFAULT PRIVILEGES IN SCHEMA "public" GRANT SELECT ON TABLES TO "spendsense_readonly";
-- opens access: spendsense_readonly gets usage on schema public (Every role must be able to look up objects in the schema; CREATE is not granted, so no role can add tables.)
GRANT USAGE ON SCHEMA "public" TO "spendsense_readonly";
-- opens access: spendsense_readonly gets select on table accounts (Analytics and the operator dashboard read every table, including the audit trail.)
GRANT SELECT ON TABLE "public"."accounts" TO "spendsense_readonly";
-- opens access: spendsense_readonly gets select on table chat_logs (Analytics and the operator dashboard read every table, including the audit trail.)
GRANT SELECT ON TABLE "public"."chat_logs" TO "spendsense_readonly";
-- opens access: spendsense_readonly gets select on table computed_features (Analytics and the operator dashboard read every table, including the audit trail.)
GRANT SELECT ON TABLE "public"."computed_features" TO "spendsense_readonly";
-- opens access: spendsense_readonly gets select on table consent_records (Analytics and the operator dashboard read every table, including the audit trail.)
GRANT SELECT ON TABLE "public"."consent_records" TO "spendsense_readonly";
-- opens access: spendsense_readonly gets select on table decision_traces (Analytics and the operator dashboard read every table, including the audit trail.)
GRANT SELECT ON TABLE "public"."decision_traces" TO "spendsense_readonly";
-- opens access: spendsense_readonly gets select on table operator_actions (Analytics and the operator dashboard read every table, including the audit trail.)
GRANT SELECT ON TABLE "public"."operator_actions" TO "spendsense_readonly";
-- opens access: spendsense_readonly gets select on table persona_assignments (Analytics and the operator dashboard read every table, including the audit trail.)
GRANT SELECT ON TABLE "public"."persona_assignments" TO "spendsense_readonly";
-- opens access: spendsense_readonly gets select on table profiles (Analytics and the operator dashboard read every table, including the audit trail.)
GRANT SELECT ON TABLE "public"."profiles" TO "spendsense_readonly";
-- opens access: spendsense_readonly gets select on table recommendations (Analytics and the operator dashboard read every table, including the audit trail.)
GRANT SELECT ON TABLE "public"."recommendations" TO "spendsense_readonly";
-- opens access: spendsense_readonly gets select on table transactions (Analytics and the operator dashboard read every table, including the audit trail.)
GRANT SELECT ON TABLE "public"."transactions" TO "spendsense_readonly";
