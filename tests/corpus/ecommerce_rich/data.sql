-- A few rows in every table and every partition.

INSERT INTO postal_zones (country_code, postal_code, shipping_zone) VALUES
    ('DE', '10115', 1), ('FR', '75001', 2), ('US', '10001', 5);

INSERT INTO categories (id, parent_id, slug, name) VALUES
    (100, NULL, 'books', 'Books'),
    (110, 100, 'fiction', 'Fiction'),
    (120, NULL, 'fiction', 'Fiction (top level)');
SELECT setval(pg_get_serial_sequence('categories', 'id'), 120);

-- products.id is GENERATED ALWAYS: rows keep their ids with OVERRIDING SYSTEM VALUE.
INSERT INTO products (id, sku, name, description, category_id, price, weight_grams, dimensions_mm, tags,
                      tier_prices, attributes, feature_flags, available_during, created_at, updated_at)
OVERRIDING SYSTEM VALUE VALUES
    (1000, 'BK-0001', 'The Pragmatic Programmer', 'From journeyman to master', 110, 39.90, 820,
     '{235,190,30}', '{programming,classic}', '{{39.90,35.00},{37.50,33.00}}', '{"isbn": "978-0135957059"}',
     B'00000001', '[2024-01-01 00:00+00,)', '2024-01-02 10:00:00.123+00', '2024-01-02 10:00:00.123+00'),
    (1001, 'BK-0002', 'Structure and Interpretation of Computer Programs', NULL, 110, 55.00, 1200,
     '{254,178,38}', '{lisp}', NULL, '{}', B'00000010', NULL, '2024-01-03 09:30:00+00', '2024-01-03 09:30:00+00'),
    (1002, 'gift-wrap', 'Gift wrapping', 'Paper & ribbon', NULL, 0, NULL, NULL, '{}', NULL, '{"service": true}',
     B'00000000', '[2024-11-15 00:00+00,2025-01-06 00:00+00)', '2024-01-04 08:00:00+00', '2024-01-04 08:00:00+00');
SELECT setval(pg_get_serial_sequence('products', 'id'), 1002);

-- customers and addresses point at each other: the default address is set afterwards.
INSERT INTO customers (id, email, full_name, country, marketing_opt_in, preferred_delivery_window,
                       loyalty_member_during, blackout_dates, created_at) VALUES
    (1, 'alice@example.com', 'Alice Martin', 'FR', true, '[2024-01-01 08:00,2024-01-01 12:00)',
     '[2023-05-01,)', '{[2024-08-01,2024-08-15)}', '2023-05-01 12:00:00+00'),
    (2, 'bob@example.net', 'Bob Müller', 'DE', false, NULL, NULL, '{}', '2023-06-10 18:30:00+00'),
    (3, 'carol@example.org', 'Carol Smith', 'US', false, NULL, '[2024-01-01,2024-12-31]', '{}', '2024-02-29 23:59:59.999+00');
SELECT setval('customers_id_seq', 3);

INSERT INTO addresses (id, customer_id, line1, line2, city, country_code, postal_code) VALUES
    (1, 1, '1 rue de Rivoli', NULL, 'Paris', 'FR', '75001'),
    (2, 2, 'Invalidenstraße 1', '2. OG', 'Berlin', 'DE', '10115'),
    (3, 3, '350 5th Ave', NULL, 'New York', 'US', '10001'),
    (4, 3, 'PO Box 12', NULL, 'Nowhere', NULL, NULL);
SELECT setval('addresses_id_seq', 4);

UPDATE customers SET default_address_id = id WHERE id IN (1, 2, 3);

INSERT INTO customer_sessions (id, customer_id, ip, network, device_mac, device_mac8, started_at, idle_timeout,
                               local_start, local_start_tz) VALUES
    ('0f8fad5b-d9cb-469f-a165-70867728950e', 1, '192.0.2.10', '192.0.2.0/24', '08:00:2b:01:02:03',
     '08:00:2b:01:02:03:04:05', '2024-03-01 10:00:00.5+00', '45 minutes', '10:00', '11:00+01'),
    ('7c9e6679-7425-40de-944b-e07fc1f90ae7', NULL, '2001:db8::1', '2001:db8::/32', NULL, NULL,
     '2024-03-01 11:00:00+00', '30 minutes', NULL, NULL);

INSERT INTO cart_items (session_id, position, product_id, quantity) VALUES
    ('0f8fad5b-d9cb-469f-a165-70867728950e', 1, 1000, 1),
    ('0f8fad5b-d9cb-469f-a165-70867728950e', 2, 1002, 1);

INSERT INTO orders (id, order_number, customer_id, status, subtotal, shipping, shipping_address_id, placed_at,
                    paid_at, delivery_promise, return_window, warranty, invoice) VALUES
    (1, nextval('order_number_seq'), 1, 'paid', 39.90, 4.50, 1, '2024-03-01 10:05:00+00', '2024-03-01 10:06:12.345+00',
     '2 days 12:00:00', '14 days', '2 years', '<invoice number="INV-1"><total>44.40</total></invoice>'),
    (2, nextval('order_number_seq'), 2, 'pending', 55.00, 0, 2, '2024-03-02 09:00:00+00', NULL,
     '5 days', '30 days', '1 year 6 months', NULL),
    (3, nextval('order_number_seq'), 3, 'shipped', 94.90, 12.00, 3, '2024-03-03 15:45:00+00', '2024-03-03 15:46:00+00',
     NULL, NULL, NULL, NULL);
SELECT setval('orders_id_seq', 3);

INSERT INTO order_lines (order_id, line_no, product_id, quantity, unit_price) VALUES
    (1, 1, 1000, 1, 39.90),
    (2, 1, 1001, 1, 55.00),
    (3, 1, 1000, 1, 39.90),
    (3, 2, 1001, 1, 55.00);

INSERT INTO promotions (code, valid_during, quantity_range, order_total_range, customer_id_range, valid_days,
                        happy_hours, applies_to_bits) VALUES
    ('SPRING24', '[2024-03-20 00:00+00,2024-06-21 00:00+00)', '[1,)', '[50,)', NULL,
     '{[2024-03-20,2024-04-01),[2024-05-01,2024-05-02)}', '{[2024-03-20 17:00+00,2024-03-20 19:00+00)}', B'1011'),
    ('BULK10', '[2024-01-01 00:00+00,)', '[10,100)', NULL, '[1,1000)', NULL, NULL, NULL);

INSERT INTO saved_searches (customer_id, query, notify_every) VALUES
    (1, to_tsquery('english', 'programming & !java'), '6 hours'),
    (2, 'lisp | scheme', '1 day');

INSERT INTO inventory_levels (product_id, warehouse_id, on_hand, reserved) VALUES
    (1000, 1, 25, 2), (1000, 2, 5, 0), (1001, 1, 3, 1), (1001, 3, 8, 0);

INSERT INTO order_events (region, order_id, event, payload, occurred_at) VALUES
    ('eu', 1, 'paid', '{"provider": "card"}', '2024-03-01 10:06:12.345+00'),
    ('uk', 2, 'created', NULL, '2024-03-02 09:00:00+00'),
    ('us', 3, 'shipped', '{"carrier": "ups", "tracking": "1Z999"}', '2024-03-04 08:00:00+00'),
    ('apac', 3, 'customs-note', '{"note": "it''s a gift"}', '2024-03-05 01:00:00+00');

-- warehouses 1 and 2 hash to stock_movements_h0 (then by month), warehouse 3 to stock_movements_h1
INSERT INTO stock_movements (warehouse_id, product_id, delta, moved_at, reason) VALUES
    (1, 1000, 30, '2024-01-05 08:00:00+00', 'purchase order 17'),
    (1, 1000, -1, '2024-03-01 10:06:00+00', 'order 100000'),
    (3, 1001, 10, '2024-01-07 08:00:00+00', 'opening stock'),
    (3, 1001, -2, '2024-02-07 08:00:00+00', 'order 100001'),
    (2, 1000, 5, '2024-01-20 08:00:00+00', 'transfer'),
    (2, 1001, 3, '2024-02-11 08:00:00+00', 'purchase order 18'),
    (2, 1001, -1, '2024-05-02 08:00:00+00', 'damaged');
