"""The fake Shopify's side of fixes: suggested refunds, refunds under `@idempotent`, replacement
(draft) orders, discount codes and tags, kept in the store so a test can see exactly what was
made (GET /_fake/state)."""
from decimal import Decimal

import graphql


def money(amount, currency="JPY"):
    return {"shopMoney": {"amount": str(amount), "currencyCode": currency}}


def amount_of(order):
    return Decimal(order["currentTotalPriceSet"]["shopMoney"]["amount"])


def refunded(store, order_id):
    return sum((r["amount"] for r in store.made["refunds"] if r["orderId"] == order_id), Decimal(0))


def suggested(store, order, items, full):
    """What Shopify would refund: the items' prices, or all that is left."""
    left = amount_of(order) - refunded(store, order["id"])
    if full:
        amount = left
    else:
        prices = {n["id"]: Decimal(n["originalUnitPriceSet"]["shopMoney"]["amount"]) for n in order["lineItems"]["nodes"]}
        amount = sum((prices.get(i["lineItemId"], Decimal(0)) * i["quantity"] for i in items or []), Decimal(0))
    amount = min(amount, left)
    parent = "gid://shopify/OrderTransaction/" + order["id"].rsplit("/", 1)[-1]
    return {
        "amountSet": money(amount), "maximumRefundableSet": money(left),
        "refundLineItems": [], "suggestedTransactions": [
            {"gateway": "shopify_payments", "kind": "SUGGESTED_REFUND", "parentTransaction": {"id": parent}, "amountSet": money(amount)}],
    }


def idempotency_key(info):
    for directive in info.field_nodes[0].directives:
        if directive.name.value == "idempotent":
            for argument in directive.arguments:
                if argument.name.value == "key":
                    value = argument.value
                    return value.value if isinstance(value, graphql.StringValueNode) else info.variable_values.get(value.name.value)
    return None


def resolvers(store, search_terms):
    made = store.made

    def refund_create(info, input):
        key = idempotency_key(info)
        if not key:
            # Required from API 2026-04 on.
            raise graphql.GraphQLError("An idempotency key is required: add @idempotent(key:) to refundCreate")
        if key in made["refund_keys"]:
            return made["refund_keys"][key]
        order = store.orders.get(input["orderId"])
        if order is None:
            return {"refund": None, "userErrors": [{"field": ["orderId"], "message": "Order does not exist"}]}
        total = sum((Decimal(t["amount"]) for t in input.get("transactions") or []), Decimal(0))
        left = amount_of(order) - refunded(store, order["id"])
        if total <= 0 or total > left:
            return {"refund": None, "userErrors": [{"field": ["transactions"], "message": f"Refund amount {total} is more than the {left} that can be refunded"}]}
        refund = {"id": f"gid://shopify/Refund/{9100000000000 + len(made['refunds']) + 1}", "orderId": order["id"], "amount": total,
                  "note": input.get("note"), "key": key}
        made["refunds"].append(refund)
        order["displayFinancialStatus"] = "REFUNDED" if total == left else "PARTIALLY_REFUNDED"
        result = {"refund": {"id": refund["id"], "totalRefundedSet": money(total)}, "userErrors": []}
        made["refund_keys"][key] = result
        return result

    def draft_order_create(info, input):
        lines = input.get("lineItems") or []
        # A line is a product variant, or a custom item with its own title and price.
        if not lines or any("variantId" not in line and not (line.get("title") and line.get("originalUnitPriceWithCurrency"))
                            for line in lines):
            return {"draftOrder": None, "userErrors": [{"field": ["lineItems"], "message": "Line items must have a variant or a title and price"}]}
        n = len(made["drafts"]) + 1
        draft = {"id": f"gid://shopify/DraftOrder/{1100000000000 + n}", "name": f"#D{n}", "status": "OPEN", "order": None,
                 "tags": input.get("tags") or [], "lineItems": lines, "appliedDiscount": input.get("appliedDiscount"),
                 "note": input.get("note"), "shippingAddress": input.get("shippingAddress"), "email": input.get("email")}
        made["drafts"].append(draft)
        return {"draftOrder": draft, "userErrors": []}

    def draft_order_complete(info, id):
        draft = next((d for d in made["drafts"] if d["id"] == id), None)
        if draft is None:
            return {"draftOrder": None, "userErrors": [{"field": ["id"], "message": "Draft order does not exist"}]}
        if draft["order"] is None:
            draft["status"] = "COMPLETED"
            number = 5000 + len([d for d in made["drafts"] if d["order"]]) + 1
            draft["order"] = {"id": f"gid://shopify/Order/{8800000000000 + number}", "name": f"#{number}"}
        return {"draftOrder": draft, "userErrors": []}

    def draft_orders(info, first, query=None, **_):
        tags = [v for k, v in search_terms(query) if k == "tag"]
        nodes = [d for d in made["drafts"] if any(t in d["tags"] for t in tags)][:first]
        return {"nodes": nodes, "edges": [{"cursor": d["id"], "node": d} for d in nodes], "pageInfo": {"hasNextPage": False, "endCursor": None}}

    def discount_create(info, basicCodeDiscount):
        code = basicCodeDiscount["code"]
        if code in made["discounts"]:
            return {"codeDiscountNode": None, "userErrors": [{"field": ["basicCodeDiscount", "code"], "code": "TAKEN", "message": "Code must be unique. Please try a different code."}]}
        node = {"id": f"gid://shopify/DiscountCodeNode/{1500000000000 + len(made['discounts']) + 1}", "input": basicCodeDiscount}
        made["discounts"][code] = node
        return {"codeDiscountNode": node, "userErrors": []}

    def code_by_code(info, code):
        return made["discounts"].get(code)

    def tags_add(info, id, tags):
        order = store.orders.get(id)
        if order is None:
            return {"node": None, "userErrors": [{"field": ["id"], "message": "Resource does not exist"}]}
        order["tags"] = order["tags"] + [t for t in tags if t not in order["tags"]]
        made["tags"].append({"id": id, "tags": tags})
        return {"node": {"id": id, "__typename": "Order"}, "userErrors": []}

    def gift_card_create(info, input):
        code = input.get("code") or ""
        if not (8 <= len(code) <= 20 and code.isalnum()):
            return {"giftCard": None, "userErrors": [{"field": ["input", "code"], "code": "INVALID", "message": "Code must be 8 to 20 letters and digits"}]}
        if any(card["code"] == code for card in made["gift_cards"]):
            return {"giftCard": None, "userErrors": [{"field": ["input", "code"], "code": "TAKEN", "message": "Code has already been taken"}]}
        card = {"id": f"gid://shopify/GiftCard/{1700000000000 + len(made['gift_cards']) + 1}", "code": code,
                "lastCharacters": code[-4:], "initialValue": input["initialValue"], "customerId": input.get("customerId")}
        made["gift_cards"].append(card)
        return {"giftCard": card, "giftCardCode": code, "userErrors": []}

    def gift_cards(info, first, query=None, **_):
        wanted = (query or "").strip().strip('"')
        nodes = [c for c in made["gift_cards"] if c["code"] == wanted][:first]
        return {"nodes": nodes, "edges": [{"cursor": c["id"], "node": c} for c in nodes], "pageInfo": {"hasNextPage": False, "endCursor": None}}

    def order_cancel(info, orderId, reason, refund, restock, notifyCustomer=False, staffNote=None):
        order = store.orders.get(orderId)
        if order is None:
            return {"job": None, "orderCancelUserErrors": [{"field": ["orderId"], "code": "NOT_FOUND", "message": "Order does not exist"}], "userErrors": []}
        if order.get("cancelledAt"):
            return {"job": None, "orderCancelUserErrors": [{"field": ["orderId"], "code": "INVALID", "message": "Order has already been cancelled"}], "userErrors": []}
        job = {"id": f"gid://shopify/Job/{len(made['cancels']) + 1}", "done": False, "polls": 0, "orderId": orderId}
        made["cancels"].append(job)
        return {"job": job, "orderCancelUserErrors": [], "userErrors": []}

    def job(info, id):
        found = next((j for j in made["cancels"] if j["id"] == id), None)
        if found is None:
            return None
        # Shopify's job finishes a moment later: done on the second look.
        found["polls"] += 1
        if found["polls"] >= 2 and not found["done"]:
            found["done"] = True
            store.orders[found["orderId"]]["cancelledAt"] = "2026-12-02T00:00:00Z"
        return found

    return {"giftCardCreate": gift_card_create, "giftCards": gift_cards, "orderCancel": order_cancel, "job": job,
            "refundCreate": refund_create, "draftOrderCreate": draft_order_create, "draftOrderComplete": draft_order_complete,
            "draftOrders": draft_orders, "discountCodeBasicCreate": discount_create, "codeDiscountNodeByCode": code_by_code,
            "tagsAdd": tags_add}


def state(store):
    """What the fake made, JSON-safe."""
    made = store.made
    return {
        "refunds": [dict(r, amount=str(r["amount"])) for r in made["refunds"]],
        "drafts": [{k: d[k] for k in ("id", "name", "status", "order", "tags", "lineItems", "note", "shippingAddress", "email")} for d in made["drafts"]],
        "discounts": {code: node["input"] for code, node in made["discounts"].items()},
        "tags": made["tags"],
        "giftCards": [{k: c[k] for k in ("id", "code", "initialValue", "customerId")} for c in made["gift_cards"]],
        "cancels": [{k: j[k] for k in ("id", "done", "orderId")} for j in made["cancels"]],
    }
