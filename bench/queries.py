"""The application's query catalogue: what the SpendSense API asks of the database,
and the index each query is meant to reach its large table through."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Query:
    name: str
    sql: str
    table: str
    index: str  # the index the plan should use for `table`


CATALOGUE = [
    Query("user transactions in a date range, newest first",
          "SELECT * FROM transactions WHERE user_id = %(user)s AND date BETWEEN %(start)s AND %(end)s "
          "ORDER BY date DESC LIMIT 100", "transactions", "transactions_user_id_date_idx"),
    Query("user transactions for one account",
          "SELECT * FROM transactions WHERE account_id = %(account)s ORDER BY date DESC LIMIT 100",
          "transactions", "transactions_account_id_idx"),
    Query("latest persona per window",
          "SELECT DISTINCT ON (time_window) * FROM persona_assignments WHERE user_id = %(user)s "
          "ORDER BY time_window, assigned_at DESC", "persona_assignments",
          "persona_assignments_user_id_time_window_idx"),
    Query("user signals for a window",
          "SELECT * FROM computed_features WHERE user_id = %(user)s AND time_window = '90d'",
          "computed_features", "computed_features_user_id_time_window_idx"),
    Query("recommendations not yet shown",
          "SELECT * FROM recommendations WHERE user_id = %(user)s AND shown_at IS NULL ORDER BY created_at DESC",
          "recommendations", "recommendations_user_id_idx"),
    Query("chat history, newest first",
          "SELECT * FROM chat_logs WHERE user_id = %(user)s ORDER BY created_at DESC LIMIT 50",
          "chat_logs", "chat_logs_user_id_idx"),
    Query("an operator's audit trail",
          "SELECT * FROM operator_actions WHERE operator_id = %(operator)s ORDER BY created_at DESC",
          "operator_actions", "operator_actions_operator_id_idx"),
    Query("actions on a user",
          "SELECT * FROM operator_actions WHERE user_id = %(user)s ORDER BY created_at DESC",
          "operator_actions", "operator_actions_user_id_idx"),
]

PARAMS_SQL = """
SELECT (SELECT user_id FROM accounts ORDER BY id LIMIT 1 OFFSET (SELECT count(*) / 2 FROM accounts)) AS user,
       (SELECT id FROM accounts ORDER BY id LIMIT 1 OFFSET (SELECT count(*) / 3 FROM accounts)) AS account,
       (SELECT operator_id FROM operator_actions ORDER BY id LIMIT 1) AS operator,
       DATE '2025-04-01' AS start, DATE '2025-06-30' AS end
"""


def parameters(conn) -> dict:
    row = conn.execute(PARAMS_SQL).fetchone()
    return dict(zip(("user", "account", "operator", "start", "end"), row, strict=True))


def scans(plan: dict) -> list[tuple[str, str, str | None]]:
    """(node type, relation, index) of every scan in an EXPLAIN (FORMAT JSON) plan tree."""
    out = []
    node = plan.get("Plan", plan)
    if "Relation Name" in node or "Index Name" in node:
        out.append((node["Node Type"], node.get("Relation Name", ""), node.get("Index Name")))
    for child in node.get("Plans", []):
        out += scans(child)
    return out


def index_used(plan: dict, query: Query) -> str | None:
    """The index through which the plan reaches query.table (bitmap scans name it on a child)."""
    for node_type, relation, index in scans(plan):
        if index and (relation == query.table or node_type == "Bitmap Index Scan"):
            return index
    return None
