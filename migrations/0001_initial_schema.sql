-- schemagen migration 0001_initial_schema: written by `schemagen migrate new` from schema.yaml.
-- Reviewed, then committed; schemagen.sum holds its checksum. Apply with `schemagen migrate apply`.
-- schemagen:transaction
-- Transaction: schema changes
create type "public"."account_type" as enum ('checking', 'savings', 'high_yield_savings', 'credit_card');
create type "public"."operator_action_type" as enum ('override', 'flag');
create type "public"."persona_type" as enum ('high_utilization', 'subscription_heavy', 'variable_income_budgeter', 'savings_builder', 'general_wellness');
create type "public"."recommendation_type" as enum ('education', 'offer');
create type "public"."time_window" as enum ('30d', '90d', '180d');
create type "public"."user_role" as enum ('consumer', 'operator');
create table "public"."accounts" (
    "id" uuid not null default gen_random_uuid(),
    "user_id" uuid not null,
    "account_type" account_type not null,
-- squawk prefer-text-field: Changing the size of a `varchar` field requires an `ACCESS EXCLUSIVE` lock, that will prevent all reads and writes to the table.
    "account_number_last4" character varying(4),
    "balance" numeric(10,2),
    "limit" numeric(10,2),
    "created_at" timestamp with time zone not null default now()
);
create table "public"."chat_logs" (
    "id" uuid not null default gen_random_uuid(),
    "user_id" uuid not null,
    "message" text not null,
    "response" text not null,
    "guardrails_passed" boolean not null default true,
    "created_at" timestamp with time zone not null default now()
);
create table "public"."computed_features" (
    "id" uuid not null default gen_random_uuid(),
    "user_id" uuid not null,
    "time_window" time_window not null,
-- squawk prefer-text-field: Changing the size of a `varchar` field requires an `ACCESS EXCLUSIVE` lock, that will prevent all reads and writes to the table.
    "signal_type" character varying(100) not null,
    "signal_value" jsonb not null,
    "computed_at" timestamp with time zone not null default now()
);
create table "public"."consent_records" (
    "id" uuid not null default gen_random_uuid(),
    "user_id" uuid not null,
    "granted_at" timestamp with time zone,
    "revoked_at" timestamp with time zone,
-- squawk prefer-text-field: Changing the size of a `varchar` field requires an `ACCESS EXCLUSIVE` lock, that will prevent all reads and writes to the table.
    "version" character varying(20) not null default '1.0'::character varying,
-- squawk prefer-text-field: Changing the size of a `varchar` field requires an `ACCESS EXCLUSIVE` lock, that will prevent all reads and writes to the table.
    "ip_address" character varying(45)
);
create table "public"."decision_traces" (
    "id" uuid not null default gen_random_uuid(),
    "recommendation_id" uuid not null,
    "trace_data" jsonb not null,
    "created_at" timestamp with time zone not null default now()
);
create table "public"."operator_actions" (
    "id" uuid not null default gen_random_uuid(),
    "operator_id" uuid not null,
    "user_id" uuid not null,
    "action_type" operator_action_type not null,
    "reason" text not null,
    "created_at" timestamp with time zone not null default now()
);
create table "public"."persona_assignments" (
    "id" uuid not null default gen_random_uuid(),
    "user_id" uuid not null,
    "time_window" time_window not null,
    "persona" persona_type not null,
    "assigned_at" timestamp with time zone not null default now()
);
create table "public"."profiles" (
    "user_id" uuid not null,
-- squawk prefer-text-field: Changing the size of a `varchar` field requires an `ACCESS EXCLUSIVE` lock, that will prevent all reads and writes to the table.
    "email" character varying(320) not null,
    "role" user_role not null,
    "created_at" timestamp with time zone not null default now(),
    "updated_at" timestamp with time zone not null default now()
);
create table "public"."recommendations" (
    "id" uuid not null default gen_random_uuid(),
    "user_id" uuid not null,
    "type" recommendation_type not null,
-- squawk prefer-text-field: Changing the size of a `varchar` field requires an `ACCESS EXCLUSIVE` lock, that will prevent all reads and writes to the table.
    "title" character varying(255) not null,
    "rationale" text not null,
    "shown_at" timestamp with time zone,
    "clicked" boolean not null default false,
    "created_at" timestamp with time zone not null default now()
);
create table "public"."transactions" (
    "id" uuid not null default gen_random_uuid(),
    "user_id" uuid not null,
    "account_id" uuid not null,
    "date" date not null,
-- squawk prefer-text-field: Changing the size of a `varchar` field requires an `ACCESS EXCLUSIVE` lock, that will prevent all reads and writes to the table.
    "merchant" character varying(255) not null,
    "amount" numeric(10,2) not null,
-- squawk prefer-text-field: Changing the size of a `varchar` field requires an `ACCESS EXCLUSIVE` lock, that will prevent all reads and writes to the table.
    "category" character varying(100),
    "created_at" timestamp with time zone not null default now()
);
CREATE UNIQUE INDEX accounts_pkey ON public.accounts USING btree (id);
CREATE INDEX accounts_user_id_idx ON public.accounts USING btree (user_id);
CREATE INDEX chat_logs_created_at_idx ON public.chat_logs USING btree (created_at);
CREATE UNIQUE INDEX chat_logs_pkey ON public.chat_logs USING btree (id);
CREATE INDEX chat_logs_user_id_idx ON public.chat_logs USING btree (user_id);
CREATE UNIQUE INDEX computed_features_pkey ON public.computed_features USING btree (id);
CREATE INDEX computed_features_signal_type_idx ON public.computed_features USING btree (signal_type);
CREATE INDEX computed_features_user_id_time_window_idx ON public.computed_features USING btree (user_id, time_window);
CREATE UNIQUE INDEX consent_records_pkey ON public.consent_records USING btree (id);
CREATE INDEX consent_records_user_id_idx ON public.consent_records USING btree (user_id);
CREATE UNIQUE INDEX decision_traces_pkey ON public.decision_traces USING btree (id);
CREATE UNIQUE INDEX decision_traces_recommendation_id_key ON public.decision_traces USING btree (recommendation_id);
CREATE INDEX operator_actions_operator_id_idx ON public.operator_actions USING btree (operator_id);
CREATE UNIQUE INDEX operator_actions_pkey ON public.operator_actions USING btree (id);
CREATE INDEX operator_actions_user_id_idx ON public.operator_actions USING btree (user_id);
CREATE UNIQUE INDEX persona_assignments_pkey ON public.persona_assignments USING btree (id);
CREATE INDEX persona_assignments_user_id_time_window_idx ON public.persona_assignments USING btree (user_id, time_window);
CREATE UNIQUE INDEX profiles_email_key ON public.profiles USING btree (email);
CREATE UNIQUE INDEX profiles_pkey ON public.profiles USING btree (user_id);
CREATE UNIQUE INDEX recommendations_pkey ON public.recommendations USING btree (id);
CREATE INDEX recommendations_shown_at_idx ON public.recommendations USING btree (shown_at);
CREATE INDEX recommendations_user_id_idx ON public.recommendations USING btree (user_id);
CREATE INDEX transactions_account_id_idx ON public.transactions USING btree (account_id);
CREATE INDEX transactions_date_idx ON public.transactions USING btree (date);
CREATE UNIQUE INDEX transactions_pkey ON public.transactions USING btree (id);
CREATE INDEX transactions_user_id_date_idx ON public.transactions USING btree (user_id, date DESC);
alter table "public"."accounts" add constraint "accounts_pkey" PRIMARY KEY using index "accounts_pkey";
alter table "public"."chat_logs" add constraint "chat_logs_pkey" PRIMARY KEY using index "chat_logs_pkey";
alter table "public"."computed_features" add constraint "computed_features_pkey" PRIMARY KEY using index "computed_features_pkey";
alter table "public"."consent_records" add constraint "consent_records_pkey" PRIMARY KEY using index "consent_records_pkey";
alter table "public"."decision_traces" add constraint "decision_traces_pkey" PRIMARY KEY using index "decision_traces_pkey";
alter table "public"."operator_actions" add constraint "operator_actions_pkey" PRIMARY KEY using index "operator_actions_pkey";
alter table "public"."persona_assignments" add constraint "persona_assignments_pkey" PRIMARY KEY using index "persona_assignments_pkey";
alter table "public"."profiles" add constraint "profiles_pkey" PRIMARY KEY using index "profiles_pkey";
alter table "public"."recommendations" add constraint "recommendations_pkey" PRIMARY KEY using index "recommendations_pkey";
alter table "public"."transactions" add constraint "transactions_pkey" PRIMARY KEY using index "transactions_pkey";
alter table "public"."accounts" add constraint "accounts_user_id_fkey" FOREIGN KEY (user_id) REFERENCES profiles(user_id) ON DELETE CASCADE not valid;
alter table "public"."accounts" validate constraint "accounts_user_id_fkey";
alter table "public"."chat_logs" add constraint "chat_logs_user_id_fkey" FOREIGN KEY (user_id) REFERENCES profiles(user_id) ON DELETE CASCADE not valid;
alter table "public"."chat_logs" validate constraint "chat_logs_user_id_fkey";
alter table "public"."computed_features" add constraint "computed_features_user_id_fkey" FOREIGN KEY (user_id) REFERENCES profiles(user_id) ON DELETE CASCADE not valid;
alter table "public"."computed_features" validate constraint "computed_features_user_id_fkey";
alter table "public"."consent_records" add constraint "consent_records_user_id_fkey" FOREIGN KEY (user_id) REFERENCES profiles(user_id) ON DELETE CASCADE not valid;
alter table "public"."consent_records" validate constraint "consent_records_user_id_fkey";
alter table "public"."decision_traces" add constraint "decision_traces_recommendation_id_fkey" FOREIGN KEY (recommendation_id) REFERENCES recommendations(id) ON DELETE CASCADE not valid;
alter table "public"."decision_traces" validate constraint "decision_traces_recommendation_id_fkey";
alter table "public"."decision_traces" add constraint "decision_traces_recommendation_id_key" UNIQUE using index "decision_traces_recommendation_id_key";
alter table "public"."operator_actions" add constraint "operator_actions_operator_id_fkey" FOREIGN KEY (operator_id) REFERENCES profiles(user_id) ON DELETE RESTRICT not valid;
alter table "public"."operator_actions" validate constraint "operator_actions_operator_id_fkey";
alter table "public"."operator_actions" add constraint "operator_actions_user_id_fkey" FOREIGN KEY (user_id) REFERENCES profiles(user_id) ON DELETE CASCADE not valid;
alter table "public"."operator_actions" validate constraint "operator_actions_user_id_fkey";
alter table "public"."persona_assignments" add constraint "persona_assignments_user_id_fkey" FOREIGN KEY (user_id) REFERENCES profiles(user_id) ON DELETE CASCADE not valid;
alter table "public"."persona_assignments" validate constraint "persona_assignments_user_id_fkey";
alter table "public"."profiles" add constraint "profiles_email_key" UNIQUE using index "profiles_email_key";
alter table "public"."recommendations" add constraint "recommendations_user_id_fkey" FOREIGN KEY (user_id) REFERENCES profiles(user_id) ON DELETE CASCADE not valid;
alter table "public"."recommendations" validate constraint "recommendations_user_id_fkey";
alter table "public"."transactions" add constraint "transactions_account_id_fkey" FOREIGN KEY (account_id) REFERENCES accounts(id) ON DELETE CASCADE not valid;
alter table "public"."transactions" validate constraint "transactions_account_id_fkey";
alter table "public"."transactions" add constraint "transactions_user_id_fkey" FOREIGN KEY (user_id) REFERENCES profiles(user_id) ON DELETE CASCADE not valid;
alter table "public"."transactions" validate constraint "transactions_user_id_fkey";
set check_function_bodies = off;
CREATE OR REPLACE FUNCTION public.profiles_on_update()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    NEW."updated_at" := now();
    RETURN NEW;
END
$function$;
CREATE TRIGGER profiles_on_update BEFORE UPDATE ON public.profiles FOR EACH ROW EXECUTE FUNCTION profiles_on_update();
COMMENT ON COLUMN "public"."accounts"."account_number_last4" IS 'Last four digits of the account number, for display only.';
COMMENT ON COLUMN "public"."accounts"."balance" IS 'Current balance; NULL when unknown.';
COMMENT ON COLUMN "public"."accounts"."created_at" IS 'When the account was added.';
COMMENT ON COLUMN "public"."accounts"."limit" IS 'Credit limit; credit cards only. A reserved word in SQL, always quoted.';
COMMENT ON COLUMN "public"."accounts"."user_id" IS 'The profile that owns the account.';
COMMENT ON COLUMN "public"."chat_logs"."created_at" IS 'When the exchange happened.';
COMMENT ON COLUMN "public"."chat_logs"."guardrails_passed" IS 'Whether the response passed the guardrails.';
COMMENT ON COLUMN "public"."chat_logs"."message" IS 'The user''s message.';
COMMENT ON COLUMN "public"."chat_logs"."response" IS 'The AI response.';
COMMENT ON COLUMN "public"."chat_logs"."user_id" IS 'The profile that chatted.';
COMMENT ON COLUMN "public"."computed_features"."computed_at" IS 'When the signal was computed.';
COMMENT ON COLUMN "public"."computed_features"."signal_type" IS 'e.g. subscription, credit_utilization_*, savings_behavior, income_stability.';
COMMENT ON COLUMN "public"."computed_features"."signal_value" IS 'The computed signal data.';
COMMENT ON COLUMN "public"."computed_features"."user_id" IS 'The profile the signal describes.';
COMMENT ON COLUMN "public"."consent_records"."granted_at" IS 'When consent was granted; NULL if never granted.';
COMMENT ON COLUMN "public"."consent_records"."ip_address" IS 'Client IP address (IPv4 or IPv6 text form, at most 45 characters).';
COMMENT ON COLUMN "public"."consent_records"."revoked_at" IS 'When consent was revoked; NULL while it stands.';
COMMENT ON COLUMN "public"."consent_records"."user_id" IS 'The profile that gave or withdrew consent.';
COMMENT ON COLUMN "public"."consent_records"."version" IS 'Version of the consent text; NOT NULL because every consent is given to one version.';
COMMENT ON COLUMN "public"."decision_traces"."created_at" IS 'When the trace was stored.';
COMMENT ON COLUMN "public"."decision_traces"."recommendation_id" IS 'One decision trace per recommendation.';
COMMENT ON COLUMN "public"."decision_traces"."trace_data" IS 'The complete decision trace JSON.';
COMMENT ON COLUMN "public"."operator_actions"."created_at" IS 'When the operator acted.';
COMMENT ON COLUMN "public"."operator_actions"."operator_id" IS 'The operator who acted.';
COMMENT ON COLUMN "public"."operator_actions"."reason" IS 'Why the operator acted (required for the audit trail).';
COMMENT ON COLUMN "public"."operator_actions"."user_id" IS 'The user acted upon.';
COMMENT ON COLUMN "public"."persona_assignments"."assigned_at" IS 'When the persona was assigned.';
COMMENT ON COLUMN "public"."persona_assignments"."user_id" IS 'The profile the persona is assigned to.';
COMMENT ON COLUMN "public"."profiles"."created_at" IS 'When the profile was created.';
COMMENT ON COLUMN "public"."profiles"."email" IS 'Login e-mail address; unique across profiles.';
COMMENT ON COLUMN "public"."profiles"."updated_at" IS 'Set to now() by a trigger on every UPDATE.';
COMMENT ON COLUMN "public"."profiles"."user_id" IS 'Cognito user id (sub); assigned by Cognito, so no default.';
COMMENT ON COLUMN "public"."recommendations"."clicked" IS 'NOT NULL with default false, so there is no third "unknown" state.';
COMMENT ON COLUMN "public"."recommendations"."created_at" IS 'When the recommendation was made.';
COMMENT ON COLUMN "public"."recommendations"."rationale" IS 'Explains why the recommendation is shown.';
COMMENT ON COLUMN "public"."recommendations"."shown_at" IS 'When the recommendation was shown to the user; NULL until shown.';
COMMENT ON COLUMN "public"."recommendations"."title" IS 'Title shown to the user.';
COMMENT ON COLUMN "public"."recommendations"."user_id" IS 'The profile the recommendation is for.';
COMMENT ON COLUMN "public"."transactions"."account_id" IS 'The account the transaction was made on.';
COMMENT ON COLUMN "public"."transactions"."amount" IS 'Negative for debits, positive for credits.';
COMMENT ON COLUMN "public"."transactions"."category" IS 'Spending category; NULL when uncategorised.';
COMMENT ON COLUMN "public"."transactions"."created_at" IS 'When the row was stored.';
COMMENT ON COLUMN "public"."transactions"."date" IS 'Posting date of the transaction.';
COMMENT ON COLUMN "public"."transactions"."merchant" IS 'Merchant name as reported by the bank.';
COMMENT ON COLUMN "public"."transactions"."user_id" IS 'The profile that owns the transaction (denormalised for per-user queries).';
COMMENT ON CONSTRAINT "accounts_user_id_fkey" ON "public"."accounts" IS 'CASCADE - accounts are the user''s data and go with the profile (right to erasure).';
COMMENT ON CONSTRAINT "chat_logs_user_id_fkey" ON "public"."chat_logs" IS 'CASCADE - chat logs are the user''s data and go with the profile (right to erasure).';
COMMENT ON CONSTRAINT "computed_features_user_id_fkey" ON "public"."computed_features" IS 'CASCADE - computed features are derived from the user''s data and go with the profile.';
COMMENT ON CONSTRAINT "consent_records_user_id_fkey" ON "public"."consent_records" IS 'CASCADE - consent records are the user''s data and go with the profile (right to erasure).';
COMMENT ON CONSTRAINT "decision_traces_recommendation_id_fkey" ON "public"."decision_traces" IS 'CASCADE - a decision trace explains one recommendation and is deleted with it.';
COMMENT ON CONSTRAINT "operator_actions_operator_id_fkey" ON "public"."operator_actions" IS 'RESTRICT - an operator''s audit trail must not be erased by deleting the operator.';
COMMENT ON CONSTRAINT "operator_actions_user_id_fkey" ON "public"."operator_actions" IS 'CASCADE - actions on a user are that user''s data and go with the profile (right to erasure).';
COMMENT ON CONSTRAINT "persona_assignments_user_id_fkey" ON "public"."persona_assignments" IS 'CASCADE - persona assignments are the user''s data and go with the profile.';
COMMENT ON CONSTRAINT "recommendations_user_id_fkey" ON "public"."recommendations" IS 'CASCADE - recommendations are the user''s data and go with the profile.';
COMMENT ON CONSTRAINT "transactions_account_id_fkey" ON "public"."transactions" IS 'CASCADE - a transaction belongs to its account and is deleted with it.';
COMMENT ON CONSTRAINT "transactions_user_id_fkey" ON "public"."transactions" IS 'CASCADE - transactions are the user''s data and go with the profile (right to erasure).';
COMMENT ON FUNCTION "public"."profiles_on_update"() IS 'Sets updated_at on UPDATE of profiles (on_update in schema.yaml).';
COMMENT ON TABLE "public"."accounts" IS 'A user''s financial accounts.';
COMMENT ON TABLE "public"."chat_logs" IS 'A user''s chat messages and the AI responses.';
COMMENT ON TABLE "public"."computed_features" IS 'Behavioural signals computed per user and time window.';
COMMENT ON TABLE "public"."consent_records" IS 'Consent granted and revoked by a user, per consent text version.';
COMMENT ON TABLE "public"."decision_traces" IS 'The complete decision trace behind one recommendation.';
COMMENT ON TABLE "public"."operator_actions" IS 'Audit trail of operator actions on users.';
COMMENT ON TABLE "public"."persona_assignments" IS 'Persona assigned to a user for a time window.';
COMMENT ON TABLE "public"."profiles" IS 'One row per user; user_id is the Cognito user''s sub.';
COMMENT ON TABLE "public"."recommendations" IS 'Education content and offers recommended to a user.';
COMMENT ON TABLE "public"."transactions" IS 'Account transactions; amount is negative for debits, positive for credits.';
COMMENT ON TYPE "public"."account_type" IS 'Kind of financial account.';
COMMENT ON TYPE "public"."operator_action_type" IS 'What an operator did to a user''s data.';
COMMENT ON TYPE "public"."persona_type" IS 'Behavioural persona assigned to a user for a time window.';
COMMENT ON TYPE "public"."recommendation_type" IS 'Kind of recommendation shown to a user.';
COMMENT ON TYPE "public"."time_window" IS 'Look-back window of computed signals and persona assignments.';
COMMENT ON TYPE "public"."user_role" IS 'Who a profile belongs to.';
