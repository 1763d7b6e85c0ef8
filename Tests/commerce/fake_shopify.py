#!/usr/bin/env python3
"""A fake Shopify store for Kotae's tests, on loopback.

Speaks what Kotae uses of Shopify, as documented:
- POST /admin/oauth/access_token: the client-credentials grant (form or JSON body).
- POST /admin/api/<version>/graphql.json: the GraphQL Admin API. Every query is validated
  against the real Admin API schema (the introspection in Tests/Fixtures/shopify/graphql, plus
  the `@idempotent` directive of later versions) and executed against this store's orders, so
  the answer has exactly the shape the query asked for. Requested cost is computed from the
  query (objects 1, connections times `first`) and charged to a leaky bucket; a call the bucket
  cannot pay is answered THROTTLED with `extensions.cost`, as Shopify does.

Orders start as the corpus's (order-detail-fulfillments, orders-by-email). A test drives the
fake through /_fake/*: add orders, set the bucket, expire tokens, read every request seen.
Prints "ready <port>" once it listens.
"""
import gzip
import json
import os
import re
import threading
import time
import urllib.parse

import graphql

from fake_http import JSONHandler, serve
import fake_shopify_actions as actions

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "shopify", "graphql")


def load_schema():
    with gzip.open(os.path.join(FIXTURES, "admin_schema_2025-01.json.gz")) as f:
        schema = graphql.build_client_schema(json.load(f)["data"])
    # Added in 2026-01 (optional) and required from 2026-04 on refundCreate and others.
    return graphql.extend_schema(schema, graphql.parse("directive @idempotent(key: String!) on FIELD"))


def corpus_orders():
    with open(os.path.join(FIXTURES, "order-detail-fulfillments.doc-example.json")) as f:
        detail = json.load(f)["response"]["body"]["data"]["order"]
    with open(os.path.join(FIXTURES, "orders-by-email.doc-example.json")) as f:
        listed = [e["node"] for e in json.load(f)["response"]["body"]["data"]["orders"]["edges"]]
    orders = {}
    for node in listed:
        order = dict(node)
        if order["id"] == detail["id"]:
            order.update(detail)
        orders[order["id"]] = complete(order)
    return orders


def complete(order):
    """Fields a card asks for that a corpus body left out, with Shopify's empty values."""
    order.setdefault("updatedAt", order.get("processedAt") or order.get("createdAt"))
    order.setdefault("processedAt", order.get("createdAt"))
    for key in ("note", "shippingAddress", "customer", "cancelledAt", "phone", "email"):
        order.setdefault(key, None)
    # Non-null in the schema: every order has a status page.
    order.setdefault("statusPageUrl", "https://example-shop.myshopify.com/orders/" + order["id"].rsplit("/", 1)[-1] + "/authenticate")
    order.setdefault("tags", [])
    order.setdefault("lineItems", {"nodes": []})
    order.setdefault("fulfillments", [])
    for line in order["lineItems"]["nodes"]:
        line.setdefault("variant", {"id": "gid://shopify/ProductVariant/" + line["id"].rsplit("/", 1)[-1]})
    # Computed when asked, from the store's refunds so far.
    order["suggestedRefund"] = lambda info, refundLineItems=None, suggestFullRefund=False, **_: actions.suggested(
        STORE, order, refundLineItems, suggestFullRefund)
    for f in order["fulfillments"]:
        for key in ("createdAt", "inTransitAt", "estimatedDeliveryAt", "deliveredAt", "status", "displayStatus"):
            f.setdefault(key, None)
        f.setdefault("trackingInfo", [])
    return order


def requested_cost(schema, document, operation_name, variables):
    """Shopify's rule, roughly: an object costs 1, a scalar 0, a connection 1 plus `first` times
    its contents. Enough for a bucket to fill and throttle as it does."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, graphql.FragmentDefinitionNode)}

    def selection_cost(selection_set, parent):
        total = 0
        for sel in selection_set.selections if selection_set else []:
            if isinstance(sel, graphql.FragmentSpreadNode):
                frag = fragments[sel.name.value]
                total += selection_cost(frag.selection_set, schema.get_type(frag.type_condition.name.value))
            elif isinstance(sel, graphql.InlineFragmentNode):
                total += selection_cost(sel.selection_set, schema.get_type(sel.type_condition.name.value) if sel.type_condition else parent)
            else:
                field = parent.fields.get(sel.name.value) if hasattr(parent, "fields") else None
                if field is None:
                    continue
                named = graphql.get_named_type(field.type)
                if not sel.selection_set:
                    continue
                first = next((a.value for a in sel.arguments if a.name.value == "first"), None)
                times = 1
                if isinstance(first, graphql.IntValueNode):
                    times = int(first.value)
                elif isinstance(first, graphql.VariableNode):
                    value = variables.get(first.name.value)
                    times = value if isinstance(value, int) and value > 0 else 1
                # A connection's `nodes`/`edges` and `pageInfo` are its shape, not objects of their own.
                own = 0 if sel.name.value in ("nodes", "edges", "node", "pageInfo") else 1
                total += own + times * selection_cost(sel.selection_set, named)
        return total

    ops = [d for d in document.definitions if isinstance(d, graphql.OperationDefinitionNode)]
    op = next((o for o in ops if operation_name is None or (o.name and o.name.value == operation_name)), ops[0])
    root = schema.mutation_type if op.operation == graphql.OperationType.MUTATION else schema.query_type
    return max(1, selection_cost(op.selection_set, root))


def search_terms(query):
    """`email:"a@b.jp"`, `name:"#1042"`, `customer_id:1 OR customer_id:2` → [(key, value)]."""
    return [(m.group(1), m.group(2) if m.group(2) is not None else m.group(3))
            for m in re.finditer(r'(\w+):(?:"((?:[^"\\]|\\.)*)"|(\S+))', query or "")]


class Store:
    def __init__(self):
        self.lock = threading.Lock()
        self.orders = corpus_orders()
        self.client_id = "kotae-app"
        self.client_secret = "kotae-secret"
        self.static_tokens = {"shpat_static_token"}
        self.tokens = {}  # token -> expiry (epoch)
        self.expires_in = 86399
        self.maximum = 1000.0
        self.restore = 50.0
        self.available = 1000.0
        self.at = time.monotonic()
        self.throttle_status = 200
        # A test's bucket can wait to start refilling until it has throttled once, so a slow
        # machine cannot refill it before the first call arrives.
        self.frozen = False
        self.requests = []
        self.issued = 0
        # What fixes made, and answers to hold back (operation name -> seconds, once).
        self.made = {"refunds": [], "refund_keys": {}, "drafts": [], "discounts": {}, "tags": [], "gift_cards": [], "cancels": []}
        self.slow = {}

    def refill(self):
        now = time.monotonic()
        if self.frozen:
            self.at = now
            return
        self.available = min(self.maximum, self.available + (now - self.at) * self.restore)
        self.at = now

    def status(self):
        return {"maximumAvailable": self.maximum, "currentlyAvailable": round(self.available, 1), "restoreRate": self.restore}

    def matching(self, query, sort_key=None):
        terms = search_terms(query)
        found = []
        for order in self.orders.values():
            ok = False
            for key, value in terms:
                if key == "updated_at" and value.startswith(">="):
                    since = value[2:].strip("'\"")
                    ok = order["updatedAt"] >= since
                    continue
                customer = order.get("customer") or {}
                if key == "email" and (order.get("email") or "").lower() == value.lower():
                    ok = True
                elif key == "name" and (order["name"] == value or order["name"] == "#" + value.lstrip("#")):
                    ok = True
                elif key == "customer_id" and customer.get("id", "").rsplit("/", 1)[-1] == value:
                    ok = True
            if ok:
                found.append(order)
        if sort_key == "UPDATED_AT":
            return sorted(found, key=lambda o: o["updatedAt"])
        return sorted(found, key=lambda o: o.get("processedAt") or o["createdAt"], reverse=True)

    def root(self):
        def orders(info, first, query=None, sortKey=None, reverse=False, after=None, **_):
            found = self.matching(query, sortKey)
            start = int(after) if after else 0
            nodes = found[start:start + first]
            more = start + first < len(found)
            return {"nodes": nodes, "edges": [{"cursor": str(start + i + 1), "node": n} for i, n in enumerate(nodes)],
                    "pageInfo": {"hasNextPage": more, "endCursor": str(start + len(nodes)) if nodes else None}}

        def order(info, id):
            return self.orders.get(id)

        def customers(info, first, query=None, **_):
            phones = [v for k, v in search_terms(query) if k == "phone"]
            seen = {}
            for o in self.orders.values():
                c = o.get("customer")
                if c and c.get("phone") in phones:
                    seen[c["id"]] = dict(c, legacyResourceId=c["id"].rsplit("/", 1)[-1])
            nodes = list(seen.values())[:first]
            return {"nodes": nodes, "edges": [{"cursor": n["id"], "node": n} for n in nodes],
                    "pageInfo": {"hasNextPage": False, "endCursor": None}}

        def product_variants(info, first, query=None, **_):
            # Shopify's search ignores case: `sku:"ls-nv-m"` finds LS-NV-M.
            skus = [v.lower() for k, v in search_terms(query) if k == "sku"]
            seen = {}
            for o in self.orders.values():
                for line in o["lineItems"]["nodes"]:
                    if line.get("sku") and line["sku"].lower() in skus:
                        seen[line["variant"]["id"]] = {"id": line["variant"]["id"], "sku": line["sku"]}
            nodes = list(seen.values())[:first]
            return {"nodes": nodes, "edges": [{"cursor": n["id"], "node": n} for n in nodes],
                    "pageInfo": {"hasNextPage": False, "endCursor": None}}

        return dict({"orders": orders, "order": order, "customers": customers, "productVariants": product_variants},
                    **actions.resolvers(self, search_terms))


STORE = Store()
SCHEMA = load_schema()


class Handler(JSONHandler):
    def do_GET(self):
        if self.path == "/_fake/requests":
            with STORE.lock:
                return self.answer(200, STORE.requests)
        if self.path == "/_fake/state":
            with STORE.lock:
                return self.answer(200, actions.state(STORE))
        self.answer(404, {"errors": "Not Found"})

    def do_POST(self):
        raw = self.read_body()
        if self.path == "/admin/oauth/access_token":
            return self.token(raw)
        if re.fullmatch(r"/admin/api/[0-9]{4}-[0-9]{2}/graphql\.json", self.path):
            return self.graphql(raw)
        if self.path.startswith("/_fake/"):
            return self.control(self.path[len("/_fake/"):], json.loads(raw or b"{}"))
        self.answer(404, {"errors": "Not Found"})

    def token(self, raw):
        if self.headers.get("Content-Type", "").startswith("application/json"):
            form = json.loads(raw)
        else:
            form = {k: v[0] for k, v in urllib.parse.parse_qs(raw.decode()).items()}
        with STORE.lock:
            STORE.requests.append({"path": self.path, "grant": form.get("grant_type")})
            if form.get("grant_type") != "client_credentials" or form.get("client_id") != STORE.client_id \
                    or form.get("client_secret") != STORE.client_secret:
                return self.answer(400, {"error": "invalid_client", "error_description": "Client authentication failed"})
            STORE.issued += 1
            token = f"cc-token-{STORE.issued}"
            STORE.tokens[token] = time.time() + STORE.expires_in
            return self.answer(200, {"access_token": token, "scope": "read_orders,write_orders", "expires_in": STORE.expires_in})

    def graphql(self, raw):
        token = self.headers.get("X-Shopify-Access-Token")
        payload = json.loads(raw)
        with STORE.lock:
            record = {"path": self.path, "token": token, "operationName": payload.get("operationName"),
                      "variables": payload.get("variables") or {}, "errors": []}
            STORE.requests.append(record)
            valid = token in STORE.static_tokens or STORE.tokens.get(token, 0) > time.time()
            if not valid:
                record["errors"].append("unauthorized")
                return self.answer(401, {"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"})
            try:
                document = graphql.parse(payload["query"])
            except graphql.GraphQLError as e:
                record["errors"].append(str(e))
                return self.answer(200, {"errors": [{"message": str(e)}]})
            problems = graphql.validate(SCHEMA, document)
            if problems:
                record["errors"] += [p.message for p in problems]
                return self.answer(200, {"errors": [{"message": p.message} for p in problems]})
            cost = requested_cost(SCHEMA, document, payload.get("operationName"), record["variables"])
            record["cost"] = cost
            STORE.refill()
            if cost > STORE.available:
                record["throttled"] = True
                STORE.frozen = False
                return self.answer(STORE.throttle_status, {
                    "errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"}}],
                    "extensions": {"cost": {"requestedQueryCost": cost, "actualQueryCost": None, "throttleStatus": STORE.status()}}})
            STORE.available -= cost
            result = graphql.execute_sync(SCHEMA, document, root_value=STORE.root(),
                                          variable_values=record["variables"], operation_name=payload.get("operationName"))
            body = {"data": result.data}
            if result.errors:
                record["errors"] += [e.message for e in result.errors]
                body["errors"] = [{"message": e.message} for e in result.errors]
            body["extensions"] = {"cost": {"requestedQueryCost": cost, "actualQueryCost": cost, "throttleStatus": STORE.status()}}
            delay = STORE.slow.pop(payload.get("operationName"), 0)
        # Done, but answered late (after the client gave up): what a lost answer looks like.
        if delay:
            time.sleep(delay)
        return self.answer(200, body)

    def control(self, what, body):
        with STORE.lock:
            if what == "orders":
                for order in body["orders"]:
                    STORE.orders[order["id"]] = complete(order)
            elif what == "bucket":
                STORE.maximum = float(body.get("maximum", STORE.maximum))
                STORE.restore = float(body.get("restore", STORE.restore))
                STORE.available = float(body.get("available", STORE.available))
                STORE.throttle_status = int(body.get("throttleStatus", STORE.throttle_status))
                STORE.frozen = bool(body.get("frozen", False))
                STORE.at = time.monotonic()
            elif what == "expire-tokens":
                STORE.tokens = {t: 0 for t in STORE.tokens}
            elif what == "token-lifetime":
                STORE.expires_in = int(body["seconds"])
            elif what == "slow":
                STORE.slow[body["operation"]] = float(body["seconds"])
            else:
                return self.answer(404, {"errors": "unknown control " + what})
        self.answer(200, {})



if __name__ == "__main__":
    serve(Handler)
