-- Multi-tenant notes with row level security, written the way a team writes its first
-- migration by hand: group roles, policies (one reads another table), least privilege.
CREATE ROLE tenancy_app NOLOGIN;
CREATE ROLE tenancy_reader NOLOGIN;

CREATE TABLE public.teams (
    id bigserial PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE public.members (
    id bigserial PRIMARY KEY,
    team_id bigint NOT NULL REFERENCES public.teams (id) ON DELETE CASCADE,
    user_id text NOT NULL
);

CREATE TABLE public.notes (
    id bigserial PRIMARY KEY,
    team_id bigint NOT NULL REFERENCES public.teams (id) ON DELETE CASCADE,
    owner_id text NOT NULL,
    title text NOT NULL,
    body text
);

ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.notes FORCE ROW LEVEL SECURITY;

CREATE POLICY own_notes ON public.notes TO tenancy_app
    USING (owner_id = current_setting('app.user_id', true))
    WITH CHECK (owner_id = current_setting('app.user_id', true));

CREATE POLICY team_notes ON public.notes FOR SELECT TO tenancy_app
    USING (EXISTS (SELECT 1 FROM public.members m
                   WHERE m.team_id = notes.team_id
                     AND m.user_id = current_setting('app.user_id', true)));

CREATE POLICY no_archived ON public.notes AS RESTRICTIVE FOR DELETE TO tenancy_app
    USING (title <> 'archived');

GRANT USAGE ON SCHEMA public TO tenancy_app, tenancy_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON public.notes TO tenancy_app;
GRANT SELECT ON public.teams, public.members TO tenancy_app;
GRANT USAGE ON SEQUENCE public.notes_id_seq TO tenancy_app;
GRANT SELECT (id, title) ON public.notes TO tenancy_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO tenancy_reader;
