#!/usr/bin/env python3
"""A fake BASE API (api.thebase.in) for Kotae's tests, on loopback.

What Kotae uses, as baseinc/api-docs describes it: the refresh-token grant (this fake issues a
new refresh token on each renewal and refuses the old one, so a client must keep the new one),
`GET /1/orders` by order date (at most 100 a page, no search by address) and
`GET /1/orders/detail/:unique_key`, every call with a Bearer token. An hourly call limit can be
set, answered as BASE does (`hour_api_limit`). Orders start as the corpus's detail body
(山田 花子's), re-dated to a week ago. Prints "ready <port>" once it listens.
"""
import copy
import datetime
import json
import os
import threading
import time
import urllib.parse

from fake_http import JSONHandler, serve

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "base")
JST = datetime.timezone(datetime.timedelta(hours=9))


def corpus_orders():
    with open(os.path.join(FIXTURES, "orders-detail.doc-example.json")) as f:
        detail = json.load(f)["steps"][1]["response"]["body"]["order"]
    order = copy.deepcopy(detail)
    order["ordered"] = int(time.time()) - 7 * 86400
    order["modified"] = order["ordered"] + 3600
    return {order["unique_key"]: order}


class Store:
    def __init__(self):
        self.lock = threading.Lock()
        self.orders = corpus_orders()
        self.client = ("base-app", "base-secret")
        self.refresh_tokens = {"refresh-1"}
        self.access = {}
        self.issued = 0
        self.hour_limit = None
        self.calls = 0
        self.requests = []


STORE = Store()


class Handler(JSONHandler):
    def do_GET(self):
        if self.path == "/_fake/requests":
            with STORE.lock:
                return self.answer(200, STORE.requests)
        with STORE.lock:
            record = {"path": self.path.split("?")[0], "query": self.path.partition("?")[2], "errors": []}
            STORE.requests.append(record)
            token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
            if STORE.access.get(token, 0) < time.time():
                record["errors"].append("unauthorized")
                return self.answer(401, {"error": "invalid_token", "error_description": "アクセストークンが無効です。"})
            STORE.calls += 1
            if STORE.hour_limit is not None and STORE.calls > STORE.hour_limit:
                record["errors"].append("hour_api_limit")
                return self.answer(400, {"error": "hour_api_limit", "error_description": "1時間のAPIの利用上限を超えました。"})
            if record["path"] == "/1/orders":
                return self.answer(200, self.list(urllib.parse.parse_qs(record["query"]), record))
            if record["path"].startswith("/1/orders/detail/"):
                order = STORE.orders.get(urllib.parse.unquote(record["path"].rsplit("/", 1)[1]))
                if order is None:
                    return self.answer(404, {"error": "not_found", "error_description": "受注が見つかりません。"})
                return self.answer(200, {"order": order})
        self.answer(404, {"error": "not_found"})

    @staticmethod
    def list(query, record):
        limit = int(query.get("limit", ["20"])[0])
        if limit > 100:
            record["errors"].append("limit over 100")
            return {"orders": []}
        offset = int(query.get("offset", ["0"])[0])
        start = datetime.datetime.strptime(query["start_ordered"][0], "%Y-%m-%d").replace(tzinfo=JST).timestamp()
        end = datetime.datetime.strptime(query["end_ordered"][0], "%Y-%m-%d").replace(tzinfo=JST).timestamp() + 86400
        found = sorted((o for o in STORE.orders.values() if start <= o["ordered"] < end), key=lambda o: o["ordered"], reverse=True)
        keys = ("unique_key", "ordered", "cancelled", "dispatched", "payment", "first_name", "last_name", "total", "terminated",
                "dispatch_status", "modified")
        return {"orders": [{k: o.get(k) for k in keys} for o in found[offset:offset + limit]]}

    def do_POST(self):
        raw = self.read_body()
        if self.path == "/1/oauth/token":
            form = {k: v[0] for k, v in urllib.parse.parse_qs(raw.decode()).items()}
            with STORE.lock:
                STORE.requests.append({"path": self.path, "query": "", "errors": []})
                if (form.get("client_id"), form.get("client_secret")) != STORE.client or form.get("grant_type") != "refresh_token" \
                        or form.get("refresh_token") not in STORE.refresh_tokens:
                    return self.answer(400, {"error": "invalid_grant", "error_description": "リフレッシュトークンが無効です。"})
                # Each renewal replaces the refresh token: the old one no longer works.
                STORE.refresh_tokens.discard(form["refresh_token"])
                STORE.issued += 1
                refresh, access = f"refresh-{STORE.issued + 1}", f"access-{STORE.issued}"
                STORE.refresh_tokens.add(refresh)
                STORE.access[access] = time.time() + 3600
                return self.answer(200, {"access_token": access, "token_type": "bearer", "expires_in": 3600, "refresh_token": refresh})
        body = json.loads(raw or b"{}")
        with STORE.lock:
            if self.path == "/_fake/orders":
                for order in body["orders"]:
                    STORE.orders[order["unique_key"]] = order
            elif self.path == "/_fake/limit":
                STORE.hour_limit = body.get("hour")
                STORE.calls = 0
            elif self.path == "/_fake/expire":
                STORE.access = {}
            else:
                return self.answer(404, {"error": "unknown control"})
        self.answer(200, {})


if __name__ == "__main__":
    serve(Handler)
