-- schemagen migration 0001_initial_schema (down): written by `schemagen migrate new` from schema.yaml.
-- Reviewed, then committed; schemagen.sum holds its checksum. Apply with `schemagen migrate apply`.
-- Reverts the migration above; read it before running it: it may drop data.
-- schemagen:transaction
-- Transaction: schema changes
drop trigger if exists "profiles_on_update" on "public"."profiles";
alter table "public"."accounts" drop constraint "accounts_user_id_fkey";
alter table "public"."chat_logs" drop constraint "chat_logs_user_id_fkey";
alter table "public"."computed_features" drop constraint "computed_features_user_id_fkey";
alter table "public"."consent_records" drop constraint "consent_records_user_id_fkey";
alter table "public"."decision_traces" drop constraint "decision_traces_recommendation_id_fkey";
alter table "public"."decision_traces" drop constraint "decision_traces_recommendation_id_key";
alter table "public"."operator_actions" drop constraint "operator_actions_operator_id_fkey";
alter table "public"."operator_actions" drop constraint "operator_actions_user_id_fkey";
alter table "public"."persona_assignments" drop constraint "persona_assignments_user_id_fkey";
alter table "public"."profiles" drop constraint "profiles_email_key";
alter table "public"."recommendations" drop constraint "recommendations_user_id_fkey";
alter table "public"."transactions" drop constraint "transactions_account_id_fkey";
alter table "public"."transactions" drop constraint "transactions_user_id_fkey";
drop function if exists "public"."profiles_on_update"();
alter table "public"."accounts" drop constraint "accounts_pkey";
alter table "public"."chat_logs" drop constraint "chat_logs_pkey";
alter table "public"."computed_features" drop constraint "computed_features_pkey";
alter table "public"."consent_records" drop constraint "consent_records_pkey";
alter table "public"."decision_traces" drop constraint "decision_traces_pkey";
alter table "public"."operator_actions" drop constraint "operator_actions_pkey";
alter table "public"."persona_assignments" drop constraint "persona_assignments_pkey";
alter table "public"."profiles" drop constraint "profiles_pkey";
alter table "public"."recommendations" drop constraint "recommendations_pkey";
alter table "public"."transactions" drop constraint "transactions_pkey";
drop index if exists "public"."accounts_pkey";
drop index if exists "public"."accounts_user_id_idx";
drop index if exists "public"."chat_logs_created_at_idx";
drop index if exists "public"."chat_logs_pkey";
drop index if exists "public"."chat_logs_user_id_idx";
drop index if exists "public"."computed_features_pkey";
drop index if exists "public"."computed_features_signal_type_idx";
drop index if exists "public"."computed_features_user_id_time_window_idx";
drop index if exists "public"."consent_records_pkey";
drop index if exists "public"."consent_records_user_id_idx";
drop index if exists "public"."decision_traces_pkey";
drop index if exists "public"."decision_traces_recommendation_id_key";
drop index if exists "public"."operator_actions_operator_id_idx";
drop index if exists "public"."operator_actions_pkey";
drop index if exists "public"."operator_actions_user_id_idx";
drop index if exists "public"."persona_assignments_pkey";
drop index if exists "public"."persona_assignments_user_id_time_window_idx";
drop index if exists "public"."profiles_email_key";
drop index if exists "public"."profiles_pkey";
drop index if exists "public"."recommendations_pkey";
drop index if exists "public"."recommendations_shown_at_idx";
drop index if exists "public"."recommendations_user_id_idx";
drop index if exists "public"."transactions_account_id_idx";
drop index if exists "public"."transactions_date_idx";
drop index if exists "public"."transactions_pkey";
drop index if exists "public"."transactions_user_id_date_idx";
-- UNSAFE: drops table accounts and all its rows
drop table "public"."accounts";
-- UNSAFE: drops table chat_logs and all its rows
drop table "public"."chat_logs";
-- UNSAFE: drops table computed_features and all its rows
drop table "public"."computed_features";
-- UNSAFE: drops table consent_records and all its rows
drop table "public"."consent_records";
-- UNSAFE: drops table decision_traces and all its rows
drop table "public"."decision_traces";
-- UNSAFE: drops table operator_actions and all its rows
drop table "public"."operator_actions";
-- UNSAFE: drops table persona_assignments and all its rows
drop table "public"."persona_assignments";
-- UNSAFE: drops table profiles and all its rows
drop table "public"."profiles";
-- UNSAFE: drops table recommendations and all its rows
drop table "public"."recommendations";
-- UNSAFE: drops table transactions and all its rows
drop table "public"."transactions";
drop type "public"."account_type";
drop type "public"."operator_action_type";
drop type "public"."persona_type";
drop type "public"."recommendation_type";
drop type "public"."time_window";
drop type "public"."user_role";
