-- Rows written for this project's tests (not pagila's data): one or two per table, enough for
-- every foreign key, the partitioned payment table (January and March 2022) and the triggers.
INSERT INTO public.language (language_id, name) VALUES (1, 'English'), (2, 'Italian');
INSERT INTO public.country (country_id, country) VALUES (1, 'Canada');
INSERT INTO public.city (city_id, city, country_id) VALUES (1, 'Lethbridge', 1);
INSERT INTO public.address (address_id, address, district, city_id, postal_code, phone)
VALUES (1, '47 MySakila Drive', 'Alberta', 1, 'T1K', '555-0100'), (2, '28 MySQL Boulevard', 'Alberta', 1, NULL, '555-0101');
INSERT INTO public.actor (actor_id, first_name, last_name) VALUES (1, 'Penelope', 'Guiness'), (2, 'Nick', 'Wahlberg');
INSERT INTO public.category (category_id, name) VALUES (1, 'Action'), (2, 'Comedy');
INSERT INTO public.film (film_id, title, description, release_year, language_id, original_language_id, length, rating,
                         special_features)
VALUES (1, 'Academy Dinosaur', 'An epic drama of a feminist and a mad scientist', 2006, 1, NULL, 86, 'PG',
        '{Deleted Scenes,Behind the Scenes}'),
       (2, 'Ace Goldfinger', 'A astounding epistle of a database administrator', 2006, 1, 2, 48, 'G', '{Trailers}');
INSERT INTO public.film_actor (actor_id, film_id) VALUES (1, 1), (2, 1), (2, 2);
INSERT INTO public.film_category (film_id, category_id) VALUES (1, 1), (2, 2);
INSERT INTO public.store (store_id, manager_staff_id, address_id) VALUES (1, 1, 1);
INSERT INTO public.staff (staff_id, first_name, last_name, address_id, email, store_id, username, password)
VALUES (1, 'Mike', 'Hillyer', 1, 'mike@example.org', 1, 'Mike', NULL);
INSERT INTO public.customer (customer_id, store_id, first_name, last_name, email, address_id, active)
VALUES (1, 1, 'Mary', 'Smith', 'mary@example.org', 2, 1), (2, 1, 'Patricia', 'Johnson', NULL, 2, 1);
INSERT INTO public.inventory (inventory_id, film_id, store_id) VALUES (1, 1, 1), (2, 2, 1);
INSERT INTO public.rental (rental_id, rental_date, inventory_id, customer_id, return_date, staff_id)
VALUES (1, '2022-01-24 22:53:30+00', 1, 1, '2022-01-26 22:04:30+00', 1),
       (2, '2022-03-02 10:00:00+00', 2, 2, NULL, 1);
INSERT INTO public.payment (payment_id, customer_id, staff_id, rental_id, amount, payment_date)
VALUES (1, 1, 1, 1, 2.99, '2022-01-26 22:05:00+00'), (2, 2, 1, 2, 0.99, '2022-03-02 10:01:00+00');
SELECT setval(s, 100) FROM unnest(ARRAY['public.actor_actor_id_seq', 'public.film_film_id_seq',
  'public.rental_rental_id_seq', 'public.payment_payment_id_seq']) AS s;
REFRESH MATERIALIZED VIEW public.rental_by_category;
