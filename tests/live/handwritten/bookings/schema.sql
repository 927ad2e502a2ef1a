-- A room booking service, written by hand the way its team writes SQL.

CREATE TABLE organisations (
    id integer PRIMARY KEY,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200)
);

CREATE TABLE countries (
    code char(2) NOT NULL,
    region varchar(10) NOT NULL,
    vat_rate numeric(4,2) NOT NULL CHECK (vat_rate >= 0),
    PRIMARY KEY (code, region)
);

CREATE TABLE members (
    id integer PRIMARY KEY,
    organisation_id integer NOT NULL REFERENCES organisations (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    email varchar(254) NOT NULL,
    nickname varchar(40),
    country_code char(2),
    country_region varchar(10),
    manager_id integer,
    CONSTRAINT members_organisation_id_nickname_key UNIQUE NULLS NOT DISTINCT (organisation_id, nickname),
    CONSTRAINT members_organisation_id_id_key UNIQUE (organisation_id, id),
    CONSTRAINT members_country_fkey FOREIGN KEY (country_code, country_region)
        REFERENCES countries (code, region) MATCH FULL
);

ALTER TABLE members ADD CONSTRAINT members_manager_fkey FOREIGN KEY (organisation_id, manager_id)
    REFERENCES members (organisation_id, id) ON DELETE SET NULL (manager_id);

CREATE TABLE rooms (
    id integer PRIMARY KEY,
    organisation_id integer NOT NULL REFERENCES organisations (id),
    seats smallint NOT NULL CHECK (seats > 0),
    position integer NOT NULL,
    CONSTRAINT rooms_organisation_id_position_key UNIQUE (organisation_id, position) DEFERRABLE INITIALLY DEFERRED
);

CREATE TABLE bookings (
    id bigint PRIMARY KEY,
    room_id integer NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    booked_by integer REFERENCES members (id) ON DELETE SET NULL,
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    cancelled boolean NOT NULL DEFAULT false,
    CONSTRAINT bookings_period_check CHECK (ends_at > starts_at),
    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (int4range(room_id, room_id, '[]') WITH =,
        tstzrange(starts_at, ends_at) WITH &&) WHERE (NOT cancelled)
);
CREATE INDEX bookings_booked_by_idx ON bookings (booked_by);
COMMENT ON CONSTRAINT bookings_no_overlap ON bookings IS 'A room is never booked twice at once.';
