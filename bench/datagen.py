"""Synthetic SpendSense data, loaded with COPY: users with accounts of every type,
~100 transactions each over 180 days, features and personas for every window,
recommendations with decision traces, chat logs and operator actions.

Deterministic (seeded), and usable by the application team for local development:
    python -m bench.datagen --users 2000 --db postgresql://...
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time
import uuid

import psycopg

MERCHANTS = [
    ("Whole Foods", "groceries", 20, 180), ("Trader Joe's", "groceries", 15, 120), ("Shell", "fuel", 25, 80),
    ("Netflix", "subscriptions", 15, 23), ("Spotify", "subscriptions", 10, 17), ("Amazon", "shopping", 8, 250),
    ("Uber", "transport", 9, 45), ("Starbucks", "dining", 4, 14), ("Chipotle", "dining", 9, 25),
    ("Comcast", "utilities", 60, 140), ("PG&E", "utilities", 40, 220), ("CVS", "health", 5, 90),
    ("Delta", "travel", 120, 900), ("Rent Co", "housing", 1200, 2800), ("Gym Plus", "subscriptions", 25, 60),
]
ACCOUNT_TYPES = [("checking", 1.0), ("savings", 0.6), ("high_yield_savings", 0.25), ("credit_card", 0.55)]
WINDOWS = ["30d", "90d", "180d"]
SIGNALS = ["subscription", "credit_utilization_max", "savings_behavior", "income_stability"]
PERSONAS = ["high_utilization", "subscription_heavy", "variable_income_budgeter", "savings_builder",
            "general_wellness"]
TODAY = dt.date(2025, 6, 30)


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def generate(conn: psycopg.Connection, users: int, transactions_per_user: int = 100, seed: int = 7,
             progress=None) -> dict:
    """Load the data in one transaction; return row counts per table. progress(text), when
    given, hears of every table loaded and of every million transactions."""
    rng = random.Random(seed)
    say = progress or (lambda text: None)
    counts: dict[str, int] = {}
    profiles = [_uuid(rng) for _ in range(users)]
    operators = [_uuid(rng) for _ in range(max(2, users // 1000))]
    now = dt.datetime(2025, 6, 30, 12, tzinfo=dt.UTC)
    with conn.transaction():
        with conn.cursor() as cur:
            with cur.copy("COPY profiles (user_id, email, role) FROM STDIN") as copy:
                for i, uid in enumerate(profiles):
                    copy.write_row((uid, f"user{i}@example.com", "consumer"))
                for i, uid in enumerate(operators):
                    copy.write_row((uid, f"operator{i}@spendsense.example", "operator"))
            counts["profiles"] = users + len(operators)
            accounts: dict[uuid.UUID, list[uuid.UUID]] = {}
            with cur.copy('COPY accounts (id, user_id, account_type, account_number_last4, balance, "limit") '
                          "FROM STDIN") as copy:
                for uid in profiles:
                    for kind, share in ACCOUNT_TYPES:
                        if rng.random() < share:
                            aid = _uuid(rng)
                            accounts.setdefault(uid, []).append(aid)
                            limit = rng.choice([1000, 2500, 5000, 10000]) if kind == "credit_card" else None
                            copy.write_row((aid, uid, kind, f"{rng.randrange(10000):04d}",
                                            round(rng.uniform(-limit if limit else 0, 20000), 2), limit))
            counts["accounts"] = sum(len(a) for a in accounts.values())
            say(f"profiles and accounts: {counts['profiles']:,} and {counts['accounts']:,}")
            n = 0
            with cur.copy("COPY transactions (user_id, account_id, date, merchant, amount, category) "
                          "FROM STDIN") as copy:
                for uid in profiles:
                    mine = accounts[uid]
                    for _ in range(transactions_per_user):
                        merchant, category, low, high = rng.choice(MERCHANTS)
                        day = TODAY - dt.timedelta(days=rng.randrange(180))
                        amount = -round(rng.uniform(low, high), 2)
                        if rng.random() < 0.04:
                            merchant, category, amount = "Payroll", "income", round(rng.uniform(1500, 6000), 2)
                        copy.write_row((uid, rng.choice(mine), day, merchant, amount, category))
                        n += 1
                        if n % 1_000_000 == 0:
                            say(f"transactions: {n:,} of {users * transactions_per_user:,}")
            counts["transactions"] = n
            with cur.copy("COPY computed_features (user_id, time_window, signal_type, signal_value) "
                          "FROM STDIN") as copy:
                for uid in profiles:
                    for window in WINDOWS:
                        for signal in SIGNALS:
                            copy.write_row((uid, window, signal, json.dumps({"value": round(rng.random(), 3)})))
            counts["computed_features"] = users * len(WINDOWS) * len(SIGNALS)
            with cur.copy("COPY persona_assignments (user_id, time_window, persona, assigned_at) FROM STDIN") as copy:
                for uid in profiles:
                    for window in WINDOWS:
                        for weeks_ago in (0, 4):
                            copy.write_row((uid, window, rng.choice(PERSONAS), now - dt.timedelta(weeks=weeks_ago)))
            counts["persona_assignments"] = users * len(WINDOWS) * 2
            recs = []
            with cur.copy("COPY recommendations (id, user_id, type, title, rationale, shown_at, clicked) "
                          "FROM STDIN") as copy:
                for uid in profiles:
                    for k in range(5):
                        rid = _uuid(rng)
                        shown = now - dt.timedelta(days=rng.randrange(60)) if rng.random() < 0.6 else None
                        copy.write_row((rid, uid, rng.choice(["education", "offer"]), f"Tip {k}",
                                        "Because of your recent spending.", shown, bool(shown and rng.random() < .2)))
                        recs.append(rid)
            counts["recommendations"] = len(recs)
            with cur.copy("COPY decision_traces (recommendation_id, trace_data) FROM STDIN") as copy:
                for rid in recs:
                    copy.write_row((rid, json.dumps({"rules": ["r1", "r2"], "score": round(rng.random(), 3)})))
            counts["decision_traces"] = len(recs)
            n = 0
            with cur.copy("COPY chat_logs (user_id, message, response, guardrails_passed, created_at) "
                          "FROM STDIN") as copy:
                for uid in profiles:
                    for _ in range(rng.randrange(11)):
                        copy.write_row((uid, "How do I save more?", "Try setting a budget.", rng.random() > .02,
                                        now - dt.timedelta(minutes=rng.randrange(60 * 24 * 180))))
                        n += 1
            counts["chat_logs"] = n
            n = 0
            with cur.copy("COPY operator_actions (operator_id, user_id, action_type, reason, created_at) "
                          "FROM STDIN") as copy:
                for _ in range(max(10, users // 10)):
                    copy.write_row((rng.choice(operators), rng.choice(profiles), rng.choice(["override", "flag"]),
                                    "Reviewed by support.", now - dt.timedelta(hours=rng.randrange(24 * 180))))
                    n += 1
            counts["operator_actions"] = n
            say("the other tables: done; ANALYZE")
    conn.execute("ANALYZE")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="a database holding the SpendSense schema")
    parser.add_argument("--users", type=int, default=20000)
    parser.add_argument("--transactions-per-user", type=int, default=100)
    args = parser.parse_args()
    started = time.monotonic()
    with psycopg.connect(args.db) as conn:
        counts = generate(conn, args.users, args.transactions_per_user,
                          progress=lambda text: print(f"{time.monotonic() - started:7.1f}s  {text}", flush=True))
    print(json.dumps(counts), f"in {time.monotonic() - started:.1f}s")


if __name__ == "__main__":
    main()
