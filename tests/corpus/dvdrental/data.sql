-- A few rows per table. Explicit ids as a data dump has them, then each sequence moved
-- past them so the application's next insert does not collide.

INSERT INTO country (country_id, country) VALUES
    (1, 'Canada'), (2, 'Australia'), (3, 'Japan');

INSERT INTO city (city_id, city, country_id) VALUES
    (1, 'Lethbridge', 1), (2, 'Woodridge', 2), (3, 'Osaka', 3);

INSERT INTO address (address_id, address, address2, district, city_id, postal_code, phone) VALUES
    (1, '47 MySakila Drive', NULL, 'Alberta', 1, '', ''),
    (2, '28 MySQL Boulevard', NULL, 'QLD', 2, '', ''),
    (3, '23 Workhaven Lane', NULL, 'Alberta', 1, '', '14033335568'),
    (4, '1411 Lillydale Drive', NULL, 'QLD', 2, '', '6172235589'),
    (5, '1913 Hanoi Way', '', 'Osaka', 3, '35200', '28303384290'),
    (6, '692 Joliet Street', '', 'Osaka', 3, '83579', '448477190408');

INSERT INTO language (language_id, name) VALUES
    (1, 'English'), (2, 'Italian'), (3, 'Japanese');

INSERT INTO category (category_id, name) VALUES
    (1, 'Action'), (2, 'Animation'), (3, 'Documentary');

INSERT INTO actor (actor_id, first_name, last_name) VALUES
    (1, 'PENELOPE', 'GUINESS'), (2, 'NICK', 'WAHLBERG'), (3, 'ED', 'CHASE'), (4, 'JENNIFER', 'DAVIS');

-- fulltext is filled by film_fulltext_trigger; the column is NOT NULL, so the insert
-- names it and the trigger overwrites the placeholder.
INSERT INTO film (film_id, title, description, release_year, language_id, original_language_id,
                  rental_duration, rental_rate, length, replacement_cost, rating, special_features, fulltext) VALUES
    (1, 'ACADEMY DINOSAUR', 'A Epic Drama of a Feminist And a Mad Scientist who must Battle a Teacher in The Canadian Rockies',
     2012, 1, NULL, 6, 0.99, 86, 20.99, 'PG', '{"Deleted Scenes","Behind the Scenes"}', ''),
    (2, 'ACE GOLDFINGER', 'A Astounding Epistle of a Database Administrator And a Explorer who must Find a Car in Ancient China',
     2012, 1, 2, 3, 4.99, 48, 12.99, 'G', '{Trailers,"Deleted Scenes"}', ''),
    (3, 'ADAPTATION HOLES', 'A Astounding Reflection of a Lumberjack And a Car who must Sink a Lumberjack in A Baloon Factory',
     2006, 1, NULL, 7, 2.99, 50, 18.99, 'NC-17', '{Trailers,"Deleted Scenes"}', ''),
    (4, 'AFFAIR PREJUDICE', 'A Fanciful Documentary of a Frisbee And a Lumberjack who must Chase a Monkey in A Shark Tank',
     2021, 3, NULL, 5, 2.99, 117, 26.99, 'G', '{Commentaries,"Behind the Scenes"}', '');

INSERT INTO film_actor (actor_id, film_id) VALUES
    (1, 1), (1, 3), (2, 1), (2, 2), (3, 3), (4, 2), (4, 4);

INSERT INTO film_category (film_id, category_id) VALUES
    (1, 3), (2, 1), (3, 3), (4, 2);

-- store and staff reference each other (both NOT NULL, neither deferrable): the two rows
-- go in with one statement, whose foreign keys are checked when the whole statement ends.
WITH new_store AS (
    INSERT INTO store (store_id, manager_staff_id, address_id) VALUES (1, 1, 1), (2, 2, 2)
    RETURNING store_id
)
INSERT INTO staff (staff_id, first_name, last_name, address_id, email, store_id, active, username, password)
VALUES (1, 'Mike', 'Hillyer', 3, 'Mike.Hillyer@sakilastaff.com', 1, true, 'Mike', '8cb2237d0679ca88db6464eac60da96345513964'),
       (2, 'Jon', 'Stephens', 4, 'Jon.Stephens@sakilastaff.com', 2, true, 'Jon', '8cb2237d0679ca88db6464eac60da96345513964');

INSERT INTO customer (customer_id, store_id, first_name, last_name, email, address_id, activebool, create_date, active) VALUES
    (1, 1, 'MARY', 'SMITH', 'MARY.SMITH@sakilacustomer.org', 5, true, '2022-02-14', 1),
    (2, 1, 'PATRICIA', 'JOHNSON', 'PATRICIA.JOHNSON@sakilacustomer.org', 6, true, '2022-02-14', 1),
    (3, 2, 'LINDA', 'WILLIAMS', NULL, 6, false, '2022-02-14', 0);

INSERT INTO inventory (inventory_id, film_id, store_id) VALUES
    (1, 1, 1), (2, 1, 2), (3, 2, 2), (4, 3, 1), (5, 4, 1);

INSERT INTO rental (rental_id, rental_date, inventory_id, customer_id, return_date, staff_id) VALUES
    (1, '2022-01-24 21:54:33+00', 1, 1, '2022-01-28 19:40:33+00', 1),
    (2, '2022-02-25 00:16:36+00', 3, 2, '2022-03-03 18:05:36+00', 2),
    (3, '2022-03-01 12:08:45+00', 4, 1, NULL, 1),
    (4, '2022-05-14 15:11:51+00', 5, 3, '2022-05-20 13:06:51+00', 1);

INSERT INTO payment (payment_id, customer_id, staff_id, rental_id, amount, payment_date) VALUES
    (1, 1, 1, 1, 2.99, '2022-01-28 19:40:33+00'),
    (2, 2, 2, 2, 7.99, '2022-03-03 18:05:36+00'),
    (3, 1, 1, 3, 0.99, '2022-03-01 12:08:45+00'),
    (4, 3, 1, 4, 5.99, '2022-05-20 13:06:51+00');

REFRESH MATERIALIZED VIEW rental_by_category;

SELECT setval('country_country_id_seq', (SELECT max(country_id) FROM country));
SELECT setval('city_city_id_seq', (SELECT max(city_id) FROM city));
SELECT setval('address_address_id_seq', (SELECT max(address_id) FROM address));
SELECT setval('language_language_id_seq', (SELECT max(language_id) FROM language));
SELECT setval('category_category_id_seq', (SELECT max(category_id) FROM category));
SELECT setval('actor_actor_id_seq', (SELECT max(actor_id) FROM actor));
SELECT setval('film_film_id_seq', (SELECT max(film_id) FROM film));
SELECT setval('store_store_id_seq', (SELECT max(store_id) FROM store));
SELECT setval('staff_staff_id_seq', (SELECT max(staff_id) FROM staff));
SELECT setval('customer_customer_id_seq', (SELECT max(customer_id) FROM customer));
SELECT setval('inventory_inventory_id_seq', (SELECT max(inventory_id) FROM inventory));
SELECT setval('rental_rental_id_seq', (SELECT max(rental_id) FROM rental));
SELECT setval('payment_payment_id_seq', (SELECT max(payment_id) FROM payment));
