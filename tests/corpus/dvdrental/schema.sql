-- DVD rental sample database, in the style of the well-known "pagila" PostgreSQL port of
-- MySQL's Sakila sample. Written for schemagen's corpus from the sample's public
-- documentation (tables, views, functions and their behaviour), not copied from its files.

CREATE TYPE mpaa_rating AS ENUM ('G', 'PG', 'PG-13', 'R', 'NC-17');

CREATE DOMAIN year AS integer
    CONSTRAINT year_check CHECK (VALUE >= 1901 AND VALUE <= 2155);

-- Every table carries last_update, kept current by this trigger function.
CREATE FUNCTION last_updated() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.last_update = CURRENT_TIMESTAMP;
    RETURN NEW;
END
$$;

-- group_concat(text): MySQL's GROUP_CONCAT for the views ported from Sakila.
CREATE FUNCTION _group_concat(text, text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
SELECT CASE
    WHEN $2 IS NULL THEN $1
    WHEN $1 IS NULL THEN $2
    ELSE $1 || ', ' || $2
END
$$;

CREATE AGGREGATE group_concat(text) (
    SFUNC = _group_concat,
    STYPE = text
);

------------------------------------------------------------------------------------------
-- Places
------------------------------------------------------------------------------------------

CREATE TABLE country (
    country_id serial PRIMARY KEY,
    country text NOT NULL,
    last_update timestamp with time zone NOT NULL DEFAULT now()
);

CREATE TABLE city (
    city_id serial PRIMARY KEY,
    city text NOT NULL,
    country_id integer NOT NULL REFERENCES country (country_id) ON UPDATE CASCADE ON DELETE RESTRICT,
    last_update timestamp with time zone NOT NULL DEFAULT now()
);
CREATE INDEX idx_fk_country_id ON city (country_id);

CREATE TABLE address (
    address_id serial PRIMARY KEY,
    address text NOT NULL,
    address2 text,
    district text NOT NULL,
    city_id integer NOT NULL REFERENCES city (city_id) ON UPDATE CASCADE ON DELETE RESTRICT,
    postal_code text,
    phone text NOT NULL,
    last_update timestamp with time zone NOT NULL DEFAULT now()
);
CREATE INDEX idx_fk_city_id ON address (city_id);

------------------------------------------------------------------------------------------
-- Films
------------------------------------------------------------------------------------------

CREATE TABLE language (
    language_id serial PRIMARY KEY,
    name character(20) NOT NULL,
    last_update timestamp with time zone NOT NULL DEFAULT now()
);

CREATE TABLE category (
    category_id serial PRIMARY KEY,
    name text NOT NULL,
    last_update timestamp with time zone NOT NULL DEFAULT now()
);

CREATE TABLE actor (
    actor_id serial PRIMARY KEY,
    first_name text NOT NULL,
    last_name text NOT NULL,
    last_update timestamp with time zone NOT NULL DEFAULT now()
);
CREATE INDEX idx_actor_last_name ON actor (last_name);

CREATE TABLE film (
    film_id serial PRIMARY KEY,
    title text NOT NULL,
    description text,
    release_year year,
    language_id integer NOT NULL REFERENCES language (language_id) ON UPDATE CASCADE ON DELETE RESTRICT,
    original_language_id integer REFERENCES language (language_id) ON UPDATE CASCADE ON DELETE RESTRICT,
    rental_duration smallint NOT NULL DEFAULT 3,
    rental_rate numeric(4,2) NOT NULL DEFAULT 4.99,
    length smallint,
    replacement_cost numeric(5,2) NOT NULL DEFAULT 19.99,
    rating mpaa_rating DEFAULT 'G',
    last_update timestamp with time zone NOT NULL DEFAULT now(),
    special_features text[],
    fulltext tsvector NOT NULL
);
CREATE INDEX film_fulltext_idx ON film USING gist (fulltext);
CREATE INDEX idx_title ON film (title);
CREATE INDEX idx_fk_language_id ON film (language_id);
CREATE INDEX idx_fk_original_language_id ON film (original_language_id);

CREATE TABLE film_actor (
    actor_id integer NOT NULL REFERENCES actor (actor_id) ON UPDATE CASCADE ON DELETE RESTRICT,
    film_id integer NOT NULL REFERENCES film (film_id) ON UPDATE CASCADE ON DELETE RESTRICT,
    last_update timestamp with time zone NOT NULL DEFAULT now(),
    PRIMARY KEY (actor_id, film_id)
);
CREATE INDEX idx_fk_film_id ON film_actor (film_id);

CREATE TABLE film_category (
    film_id integer NOT NULL REFERENCES film (film_id) ON UPDATE CASCADE ON DELETE RESTRICT,
    category_id integer NOT NULL REFERENCES category (category_id) ON UPDATE CASCADE ON DELETE RESTRICT,
    last_update timestamp with time zone NOT NULL DEFAULT now(),
    PRIMARY KEY (film_id, category_id)
);

------------------------------------------------------------------------------------------
-- Stores, staff, customers (store and staff point at each other)
------------------------------------------------------------------------------------------

CREATE TABLE store (
    store_id serial PRIMARY KEY,
    manager_staff_id integer NOT NULL,
    address_id integer NOT NULL REFERENCES address (address_id) ON UPDATE CASCADE ON DELETE RESTRICT,
    last_update timestamp with time zone NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX idx_unq_manager_staff_id ON store (manager_staff_id);

CREATE TABLE staff (
    staff_id serial PRIMARY KEY,
    first_name text NOT NULL,
    last_name text NOT NULL,
    address_id integer NOT NULL REFERENCES address (address_id) ON UPDATE CASCADE ON DELETE RESTRICT,
    email text,
    store_id integer NOT NULL REFERENCES store (store_id),
    active boolean NOT NULL DEFAULT true,
    username text NOT NULL,
    password text,
    last_update timestamp with time zone NOT NULL DEFAULT now(),
    picture bytea
);

ALTER TABLE store
    ADD CONSTRAINT store_manager_staff_id_fkey FOREIGN KEY (manager_staff_id)
        REFERENCES staff (staff_id) ON UPDATE CASCADE ON DELETE RESTRICT;

CREATE TABLE customer (
    customer_id serial PRIMARY KEY,
    store_id integer NOT NULL REFERENCES store (store_id) ON UPDATE CASCADE ON DELETE RESTRICT,
    first_name text NOT NULL,
    last_name text NOT NULL,
    email text,
    address_id integer NOT NULL REFERENCES address (address_id) ON UPDATE CASCADE ON DELETE RESTRICT,
    activebool boolean NOT NULL DEFAULT true,
    create_date date NOT NULL DEFAULT CURRENT_DATE,
    last_update timestamp with time zone DEFAULT now(),
    active integer
);
CREATE INDEX idx_fk_address_id ON customer (address_id);
CREATE INDEX idx_fk_store_id ON customer (store_id);
CREATE INDEX idx_last_name ON customer (last_name);

------------------------------------------------------------------------------------------
-- Rentals and payments
------------------------------------------------------------------------------------------

CREATE TABLE inventory (
    inventory_id serial PRIMARY KEY,
    film_id integer NOT NULL REFERENCES film (film_id) ON UPDATE CASCADE ON DELETE RESTRICT,
    store_id integer NOT NULL REFERENCES store (store_id) ON UPDATE CASCADE ON DELETE RESTRICT,
    last_update timestamp with time zone NOT NULL DEFAULT now()
);
CREATE INDEX idx_store_id_film_id ON inventory (store_id, film_id);

CREATE TABLE rental (
    rental_id serial PRIMARY KEY,
    rental_date timestamp with time zone NOT NULL,
    inventory_id integer NOT NULL REFERENCES inventory (inventory_id) ON UPDATE CASCADE ON DELETE RESTRICT,
    customer_id integer NOT NULL REFERENCES customer (customer_id) ON UPDATE CASCADE ON DELETE RESTRICT,
    return_date timestamp with time zone,
    staff_id integer NOT NULL REFERENCES staff (staff_id),
    last_update timestamp with time zone NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX idx_unq_rental_rental_date_inventory_id_customer_id
    ON rental (rental_date, inventory_id, customer_id);
CREATE INDEX idx_fk_inventory_id ON rental (inventory_id);

-- Payments are partitioned by month; the primary key has to include the partition key.
CREATE TABLE payment (
    payment_id serial NOT NULL,
    customer_id integer NOT NULL REFERENCES customer (customer_id),
    staff_id integer NOT NULL REFERENCES staff (staff_id),
    rental_id integer NOT NULL REFERENCES rental (rental_id),
    amount numeric(5,2) NOT NULL,
    payment_date timestamp with time zone NOT NULL,
    PRIMARY KEY (payment_date, payment_id)
) PARTITION BY RANGE (payment_date);

CREATE TABLE payment_p2022_01 PARTITION OF payment
    FOR VALUES FROM ('2022-01-01 00:00:00+00') TO ('2022-02-01 00:00:00+00');
CREATE TABLE payment_p2022_02 PARTITION OF payment
    FOR VALUES FROM ('2022-02-01 00:00:00+00') TO ('2022-03-01 00:00:00+00');
CREATE TABLE payment_p2022_03 PARTITION OF payment
    FOR VALUES FROM ('2022-03-01 00:00:00+00') TO ('2022-04-01 00:00:00+00');
CREATE TABLE payment_p2022_04 PARTITION OF payment
    FOR VALUES FROM ('2022-04-01 00:00:00+00') TO ('2022-05-01 00:00:00+00');
CREATE TABLE payment_p2022_05 PARTITION OF payment
    FOR VALUES FROM ('2022-05-01 00:00:00+00') TO ('2022-06-01 00:00:00+00');
CREATE TABLE payment_p2022_06 PARTITION OF payment
    FOR VALUES FROM ('2022-06-01 00:00:00+00') TO ('2022-07-01 00:00:00+00');
CREATE TABLE payment_p2022_07 PARTITION OF payment
    FOR VALUES FROM ('2022-07-01 00:00:00+00') TO ('2022-08-01 00:00:00+00');

CREATE INDEX idx_fk_payment_customer_id ON payment (customer_id);
CREATE INDEX idx_fk_payment_staff_id ON payment (staff_id);

------------------------------------------------------------------------------------------
-- Triggers
------------------------------------------------------------------------------------------

CREATE TRIGGER last_updated BEFORE UPDATE ON actor FOR EACH ROW EXECUTE FUNCTION last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON address FOR EACH ROW EXECUTE FUNCTION last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON category FOR EACH ROW EXECUTE FUNCTION last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON city FOR EACH ROW EXECUTE FUNCTION last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON country FOR EACH ROW EXECUTE FUNCTION last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON customer FOR EACH ROW EXECUTE FUNCTION last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON film FOR EACH ROW EXECUTE FUNCTION last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON film_actor FOR EACH ROW EXECUTE FUNCTION last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON film_category FOR EACH ROW EXECUTE FUNCTION last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON inventory FOR EACH ROW EXECUTE FUNCTION last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON language FOR EACH ROW EXECUTE FUNCTION last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON rental FOR EACH ROW EXECUTE FUNCTION last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON staff FOR EACH ROW EXECUTE FUNCTION last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON store FOR EACH ROW EXECUTE FUNCTION last_updated();

-- The full-text column is kept by PostgreSQL's built-in trigger function.
CREATE TRIGGER film_fulltext_trigger BEFORE INSERT OR UPDATE ON film
    FOR EACH ROW EXECUTE FUNCTION tsvector_update_trigger(fulltext, 'pg_catalog.english', title, description);

------------------------------------------------------------------------------------------
-- Functions used by the store application
------------------------------------------------------------------------------------------

CREATE FUNCTION inventory_held_by_customer(p_inventory_id integer) RETURNS integer
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_customer_id integer;
BEGIN
    SELECT customer_id INTO v_customer_id
    FROM rental
    WHERE return_date IS NULL
      AND inventory_id = p_inventory_id;

    RETURN v_customer_id;
END
$$;

CREATE FUNCTION inventory_in_stock(p_inventory_id integer) RETURNS boolean
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_rentals integer;
    v_out integer;
BEGIN
    -- an item is in stock if it has never been rented, or every rental has been returned
    SELECT count(*) INTO v_rentals FROM rental WHERE inventory_id = p_inventory_id;
    IF v_rentals = 0 THEN
        RETURN true;
    END IF;

    SELECT count(rental_id) INTO v_out
    FROM inventory LEFT JOIN rental USING (inventory_id)
    WHERE inventory.inventory_id = p_inventory_id
      AND rental.return_date IS NULL;

    RETURN v_out = 0;
END
$$;

CREATE FUNCTION film_in_stock(p_film_id integer, p_store_id integer, OUT p_film_count integer)
    RETURNS SETOF integer
    LANGUAGE sql
    AS $$
    SELECT inventory_id
    FROM inventory
    WHERE film_id = $1
      AND store_id = $2
      AND inventory_in_stock(inventory_id);
$$;

CREATE FUNCTION film_not_in_stock(p_film_id integer, p_store_id integer, OUT p_film_count integer)
    RETURNS SETOF integer
    LANGUAGE sql
    AS $$
    SELECT inventory_id
    FROM inventory
    WHERE film_id = $1
      AND store_id = $2
      AND NOT inventory_in_stock(inventory_id);
$$;

CREATE FUNCTION last_day(timestamp with time zone) RETURNS date
    LANGUAGE sql IMMUTABLE STRICT
    AS $$
    SELECT (date_trunc('month', $1) + interval '1 month' - interval '1 day')::date;
$$;

CREATE FUNCTION get_customer_balance(p_customer_id integer, p_effective_date timestamp with time zone)
    RETURNS numeric
    LANGUAGE plpgsql
    AS $$
-- Balance = rental fees of films rented so far
--         + one late fee a day past the rental duration (up to the replacement cost)
--         - payments made so far
DECLARE
    v_rentfees numeric;
    v_overfees numeric;
    v_payments numeric;
BEGIN
    SELECT coalesce(sum(film.rental_rate), 0) INTO v_rentfees
    FROM film, inventory, rental
    WHERE film.film_id = inventory.film_id
      AND inventory.inventory_id = rental.inventory_id
      AND rental.rental_date <= p_effective_date
      AND rental.customer_id = p_customer_id;

    SELECT coalesce(sum(least(greatest(extract(day FROM rental.return_date - rental.rental_date)
                                           - film.rental_duration, 0),
                              film.replacement_cost)), 0)
        INTO v_overfees
    FROM rental, inventory, film
    WHERE film.film_id = inventory.film_id
      AND inventory.inventory_id = rental.inventory_id
      AND rental.rental_date <= p_effective_date
      AND rental.customer_id = p_customer_id;

    SELECT coalesce(sum(payment.amount), 0) INTO v_payments
    FROM payment
    WHERE payment.payment_date <= p_effective_date
      AND payment.customer_id = p_customer_id;

    RETURN v_rentfees + v_overfees - v_payments;
END
$$;

-- Customers who rented at least min_monthly_purchases times and spent at least
-- min_dollar_amount_purchased last month. Runs as its owner: it builds a temporary table.
CREATE FUNCTION rewards_report(min_monthly_purchases integer, min_dollar_amount_purchased numeric)
    RETURNS SETOF customer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
    last_month_start date;
    last_month_end date;
    rr customer%ROWTYPE;
BEGIN
    IF min_monthly_purchases = 0 THEN
        RAISE EXCEPTION 'minimum monthly purchases parameter must be > 0';
    END IF;
    IF min_dollar_amount_purchased = 0.00 THEN
        RAISE EXCEPTION 'minimum monthly dollar amount purchased parameter must be > $0.00';
    END IF;

    last_month_start := date_trunc('month', CURRENT_DATE - interval '1 month')::date;
    last_month_end := last_day(last_month_start);

    CREATE TEMPORARY TABLE tmpCustomer (customer_id integer NOT NULL PRIMARY KEY) ON COMMIT DROP;

    INSERT INTO tmpCustomer (customer_id)
    SELECT p.customer_id
    FROM payment AS p
    WHERE p.payment_date::date BETWEEN last_month_start AND last_month_end
    GROUP BY p.customer_id
    HAVING sum(p.amount) > min_dollar_amount_purchased
       AND count(p.customer_id) > min_monthly_purchases;

    FOR rr IN
        SELECT c.* FROM tmpCustomer AS t JOIN customer AS c USING (customer_id)
    LOOP
        RETURN NEXT rr;
    END LOOP;

    DROP TABLE tmpCustomer;
    RETURN;
END
$$;

------------------------------------------------------------------------------------------
-- Views
------------------------------------------------------------------------------------------

CREATE VIEW actor_info AS
SELECT a.actor_id,
       a.first_name,
       a.last_name,
       group_concat(DISTINCT c.name || ': ' || (
           SELECT group_concat(f.title)
           FROM film f
           JOIN film_category fc_1 ON f.film_id = fc_1.film_id
           JOIN film_actor fa_1 ON f.film_id = fa_1.film_id
           WHERE fc_1.category_id = c.category_id
             AND fa_1.actor_id = a.actor_id
           GROUP BY fa_1.actor_id)) AS film_info
FROM actor a
LEFT JOIN film_actor fa ON a.actor_id = fa.actor_id
LEFT JOIN film_category fc ON fa.film_id = fc.film_id
LEFT JOIN category c ON fc.category_id = c.category_id
GROUP BY a.actor_id, a.first_name, a.last_name;

CREATE VIEW customer_list AS
SELECT cu.customer_id AS id,
       cu.first_name || ' ' || cu.last_name AS name,
       a.address,
       a.postal_code AS "zip code",
       a.phone,
       city.city,
       country.country,
       CASE WHEN cu.activebool THEN 'active' ELSE '' END AS notes,
       cu.store_id AS sid
FROM customer cu
JOIN address a ON cu.address_id = a.address_id
JOIN city ON a.city_id = city.city_id
JOIN country ON city.country_id = country.country_id;

CREATE VIEW film_list AS
SELECT film.film_id AS fid,
       film.title,
       film.description,
       category.name AS category,
       film.rental_rate AS price,
       film.length,
       film.rating,
       group_concat(actor.first_name || ' ' || actor.last_name) AS actors
FROM category
LEFT JOIN film_category ON category.category_id = film_category.category_id
LEFT JOIN film ON film_category.film_id = film.film_id
JOIN film_actor ON film.film_id = film_actor.film_id
JOIN actor ON film_actor.actor_id = actor.actor_id
GROUP BY film.film_id, film.title, film.description, category.name, film.rental_rate, film.length, film.rating;

CREATE VIEW nicer_but_slower_film_list AS
SELECT film.film_id AS fid,
       film.title,
       film.description,
       category.name AS category,
       film.rental_rate AS price,
       film.length,
       film.rating,
       group_concat(upper(substr(actor.first_name, 1, 1)) || lower(substr(actor.first_name, 2))
                    || ' ' ||
                    upper(substr(actor.last_name, 1, 1)) || lower(substr(actor.last_name, 2))) AS actors
FROM category
LEFT JOIN film_category ON category.category_id = film_category.category_id
LEFT JOIN film ON film_category.film_id = film.film_id
JOIN film_actor ON film.film_id = film_actor.film_id
JOIN actor ON film_actor.actor_id = actor.actor_id
GROUP BY film.film_id, film.title, film.description, category.name, film.rental_rate, film.length, film.rating;

CREATE VIEW sales_by_film_category AS
SELECT c.name AS category,
       sum(p.amount) AS total_sales
FROM payment p
JOIN rental r ON p.rental_id = r.rental_id
JOIN inventory i ON r.inventory_id = i.inventory_id
JOIN film f ON i.film_id = f.film_id
JOIN film_category fc ON f.film_id = fc.film_id
JOIN category c ON fc.category_id = c.category_id
GROUP BY c.name
ORDER BY sum(p.amount) DESC;

CREATE VIEW sales_by_store AS
SELECT c.city || ',' || cy.country AS store,
       m.first_name || ' ' || m.last_name AS manager,
       sum(p.amount) AS total_sales
FROM payment p
JOIN rental r ON p.rental_id = r.rental_id
JOIN inventory i ON r.inventory_id = i.inventory_id
JOIN store s ON i.store_id = s.store_id
JOIN address a ON s.address_id = a.address_id
JOIN city c ON a.city_id = c.city_id
JOIN country cy ON c.country_id = cy.country_id
JOIN staff m ON s.manager_staff_id = m.staff_id
GROUP BY cy.country, c.city, s.store_id, m.first_name, m.last_name
ORDER BY cy.country, c.city;

CREATE VIEW staff_list AS
SELECT s.staff_id AS id,
       s.first_name || ' ' || s.last_name AS name,
       a.address,
       a.postal_code AS "zip code",
       a.phone,
       city.city,
       country.country,
       s.store_id AS sid
FROM staff s
JOIN address a ON s.address_id = a.address_id
JOIN city ON a.city_id = city.city_id
JOIN country ON city.country_id = country.country_id;

-- Rentals per category, refreshed by a nightly job (REFRESH ... CONCURRENTLY needs the unique index).
CREATE MATERIALIZED VIEW rental_by_category AS
SELECT c.name AS category,
       sum(p.amount) AS total_sales
FROM payment p
JOIN rental r ON p.rental_id = r.rental_id
JOIN inventory i ON r.inventory_id = i.inventory_id
JOIN film f ON i.film_id = f.film_id
JOIN film_category fc ON f.film_id = fc.film_id
JOIN category c ON fc.category_id = c.category_id
GROUP BY c.name
ORDER BY sum(p.amount) DESC
WITH NO DATA;

CREATE UNIQUE INDEX rental_category ON rental_by_category (category);

COMMENT ON TABLE payment IS 'Customer payments, one partition per month';
COMMENT ON DOMAIN year IS 'A four-digit year, as MySQL''s YEAR type allows';
COMMENT ON MATERIALIZED VIEW rental_by_category IS 'Sales per category; REFRESH MATERIALIZED VIEW CONCURRENTLY after loading payments';
