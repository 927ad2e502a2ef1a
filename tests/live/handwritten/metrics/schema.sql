-- A metrics store: big partitioned tables, indexes tuned by hand, scratch tables unlogged.

CREATE TABLE sources (
    id integer PRIMARY KEY,
    name varchar(100) NOT NULL,
    labels jsonb NOT NULL DEFAULT '{}'
) WITH (fillfactor = 90, autovacuum_vacuum_scale_factor = 0.02);

CREATE INDEX sources_name_idx ON sources (name varchar_pattern_ops);
CREATE UNIQUE INDEX sources_name_lower_key ON sources (lower(name));
CREATE INDEX sources_labels_idx ON sources USING gin (labels jsonb_path_ops) WITH (fastupdate = off);

CREATE TABLE samples (
    source_id integer NOT NULL REFERENCES sources (id),
    taken_on date NOT NULL,
    taken_at timestamptz NOT NULL,
    value double precision NOT NULL,
    PRIMARY KEY (source_id, taken_on, taken_at)
) PARTITION BY RANGE (taken_on);

CREATE INDEX samples_taken_at_idx ON samples USING brin (taken_at) WITH (pages_per_range = 16);
CREATE INDEX samples_source_id_taken_at_idx ON samples (source_id, taken_at DESC) INCLUDE (value);

CREATE TABLE samples_2024_01 PARTITION OF samples FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');
CREATE TABLE samples_2024_02 PARTITION OF samples FOR VALUES FROM ('2024-02-01') TO ('2024-03-01');
CREATE TABLE samples_2024_03 PARTITION OF samples FOR VALUES FROM ('2024-03-01') TO ('2024-04-01');
CREATE TABLE samples_2024_04 PARTITION OF samples FOR VALUES FROM ('2024-04-01') TO ('2024-05-01')
    WITH (fillfactor = 100);
CREATE TABLE samples_future PARTITION OF samples DEFAULT;

CREATE TABLE alerts (
    id bigint NOT NULL,
    severity text NOT NULL,
    source_id integer NOT NULL,
    message text NOT NULL,
    PRIMARY KEY (id, severity, source_id)
) PARTITION BY LIST (severity);

CREATE TABLE alerts_critical PARTITION OF alerts FOR VALUES IN ('critical', 'fatal')
    PARTITION BY HASH (source_id);
CREATE TABLE alerts_critical_0 PARTITION OF alerts_critical FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE alerts_critical_1 PARTITION OF alerts_critical FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE TABLE alerts_other PARTITION OF alerts DEFAULT;

CREATE UNLOGGED TABLE import_batches (
    id uuid PRIMARY KEY,
    payload text NOT NULL
) WITH (autovacuum_enabled = false);
