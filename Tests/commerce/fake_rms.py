#!/usr/bin/env python3
"""A fake Rakuten RMS WEB SERVICE (RakutenPayOrderAPI) for Kotae's tests, on loopback.

Enforces what RMS documents for the two calls Kotae makes:
- every call signed `Authorization: ESA base64(serviceSecret:licenseKey)`;
- searchOrder: `dateType` required; `startDatetime` at most two years back; `endDatetime` at
  most 63 days after it (`2026-09-30T00:00:00+0900`); `ordererMailAddress` matched exactly;
  pages of at most 1,000 numbers;
- getOrder: at most 100 order numbers a call, version 7.
Orders start as the corpus's getOrder body (山田 花子's masked address), re-dated to lie within
the last two years of today. A test adds orders and reads every request through /_fake/*.
Prints "ready <port>" once it listens.
"""
import base64
import copy
import datetime
import json
import os
import threading

from fake_http import JSONHandler, serve

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "rakuten")
JST = datetime.timezone(datetime.timedelta(hours=9))
FORMAT = "%Y-%m-%dT%H:%M:%S%z"
SERVICE_SECRET, LICENSE_KEY = "SP123456_test", "SL123456_test"


def rms_time(moment):
    return moment.astimezone(JST).strftime(FORMAT)


def corpus_orders():
    with open(os.path.join(FIXTURES, "getOrder-minimal.doc-example.json")) as f:
        first = json.load(f)["response"]["body"]["OrderModelList"][0]
    now = datetime.datetime.now(JST)
    first["orderDatetime"] = rms_time(now - datetime.timedelta(days=5))
    second = copy.deepcopy(first)
    second["orderNumber"] = "123456-20261002-0000009876"
    second["orderProgress"] = 300
    second["orderDatetime"] = rms_time(now - datetime.timedelta(days=61))
    second["shippingCmplRptDatetime"] = None
    second["PackageModelList"][0]["ShippingModelList"] = []
    return {o["orderNumber"]: o for o in (first, second)}


class Store:
    def __init__(self):
        self.lock = threading.Lock()
        self.orders = corpus_orders()
        self.requests = []


STORE = Store()


def error(code, message):
    return {"MessageModelList": [{"messageType": "ERROR", "messageCode": code, "message": message}]}


class Handler(JSONHandler):
    def do_GET(self):
        if self.path == "/_fake/requests":
            with STORE.lock:
                return self.answer(200, STORE.requests)
        self.answer(404, error("NotFound", "Not Found"))

    def do_POST(self):
        raw = self.read_body()
        body = json.loads(raw or b"{}")
        if self.path == "/_fake/orders":
            with STORE.lock:
                for order in body["orders"]:
                    STORE.orders[order["orderNumber"]] = order
            return self.answer(200, {})
        operation = {"/es/2.0/order/searchOrder/": "searchOrder", "/es/2.0/order/getOrder/": "getOrder"}.get(self.path)
        if operation is None:
            return self.answer(404, error("NotFound", "Not Found"))
        with STORE.lock:
            record = {"operation": operation, "body": body, "errors": []}
            STORE.requests.append(record)
            expected = "ESA " + base64.b64encode(f"{SERVICE_SECRET}:{LICENSE_KEY}".encode()).decode()
            if self.headers.get("Authorization") != expected:
                record["errors"].append("unauthorized")
                return self.answer(401, error("ES04-01", "Un-Authorised Error: the licence key is invalid or has expired"))
            problem = self.search_problem(body) if operation == "searchOrder" else self.get_problem(body)
            if problem:
                record["errors"].append(problem)
                return self.answer(400, error("ORDER_EXT_API_VALIDATION_ERROR", problem))
            return self.answer(200, self.search(body) if operation == "searchOrder" else self.get(body))

    @staticmethod
    def search_problem(body):
        if "dateType" not in body:
            return "dateType is required"
        try:
            start = datetime.datetime.strptime(body["startDatetime"], FORMAT)
            end = datetime.datetime.strptime(body["endDatetime"], FORMAT)
        except (KeyError, ValueError) as e:
            return f"startDatetime and endDatetime are yyyy-MM-ddTHH:mm:ss+0900: {e}"
        now = datetime.datetime.now(JST)
        if start < now - datetime.timedelta(days=731):
            return "startDatetime is more than two years ago"
        if end - start > datetime.timedelta(days=63):
            return "endDatetime is more than 63 days after startDatetime"
        if end < start:
            return "endDatetime is before startDatetime"
        page = body.get("PaginationRequestModel") or {}
        if not 1 <= int(page.get("requestRecordsAmount", 0)) <= 1000:
            return "requestRecordsAmount is 1 to 1000"
        return None

    @staticmethod
    def get_problem(body):
        numbers = body.get("orderNumberList") or []
        if not 1 <= len(numbers) <= 100:
            return f"orderNumberList takes 1 to 100 numbers, not {len(numbers)}"
        if body.get("version") is None:
            return "version is required"
        return None

    @staticmethod
    def search(body):
        start = datetime.datetime.strptime(body["startDatetime"], FORMAT)
        end = datetime.datetime.strptime(body["endDatetime"], FORMAT)
        found = sorted(
            (o for o in STORE.orders.values()
             if o["OrdererModel"]["emailAddress"] == body.get("ordererMailAddress")
             and start <= datetime.datetime.strptime(o["orderDatetime"], FORMAT) <= end),
            key=lambda o: o["orderDatetime"], reverse=True)
        page = body["PaginationRequestModel"]
        size, number = int(page["requestRecordsAmount"]), int(page.get("requestPage", 1))
        pages = max(1, -(-len(found) // size))
        return {
            "MessageModelList": [{"messageType": "INFO", "messageCode": "ORDER_EXT_API_SEARCH_ORDER_INFO_101", "message": "注文検索に成功しました。"}],
            "orderNumberList": [o["orderNumber"] for o in found[(number - 1) * size:number * size]],
            "PaginationResponseModel": {"totalRecordsAmount": len(found), "totalPages": pages, "requestPage": number},
        }

    @staticmethod
    def get(body):
        orders = [STORE.orders[n] for n in body["orderNumberList"] if n in STORE.orders]
        return {
            "MessageModelList": [{"messageType": "INFO", "messageCode": "ORDER_EXT_API_GET_ORDER_INFO_101", "message": f"受注情報取得に成功しました。(取得件数{len(orders)}件)"}],
            "OrderModelList": orders,
        }



if __name__ == "__main__":
    serve(Handler)
