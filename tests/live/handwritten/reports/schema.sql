-- A reporting schema written by hand: two tables, a view on them, a view on that view,
-- and a materialized view with a unique index so it can be refreshed concurrently.
create table authors (
  id bigint generated always as identity primary key,
  name text not null
);

create table posts (
  id bigint generated always as identity primary key,
  author_id bigint not null references authors (id),
  title text not null,
  published_at timestamptz
);

create view published_posts with (security_barrier) as
  select p.id, p.title, a.name as author, p.published_at
  from posts p join authors a on a.id = p.author_id
  where p.published_at is not null;
comment on view published_posts is 'Posts readers can see.';
comment on column published_posts.author is 'The author''s name.';

create view recent_posts as
  select id, title from published_posts
  where published_at > now() - interval '7 days'
  with local check option;

create materialized view author_stats as
  select author_id, count(*) as posts from posts group by author_id
  with no data;
create unique index author_stats_author_id_idx on author_stats (author_id);
comment on materialized view author_stats is 'Posts per author; refreshed hourly.';
