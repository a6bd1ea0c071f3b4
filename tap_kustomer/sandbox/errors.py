"""The sandbox's error answers, in both of the API's error body shapes."""


class ApiError(Exception):
    def __init__(self, status, body, headers=None):
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or {}


def jsonapi_error(status, code, title, detail):
    return {"errors": [{"status": status, "code": code, "title": title, "detail": detail}]}


def plain_error(code, message):
    return {"errors": [{"code": code, "message": message, "meta": {}}]}
