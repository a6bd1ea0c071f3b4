"""The tap's exceptions. Each carries a message written for the person running the tap."""


class TapError(Exception):
    """An error that ends the run with one CRITICAL line and a non-zero exit."""


class ConfigError(TapError):
    pass


class InputError(TapError):
    """A state or catalog file the tap cannot use."""


class KustomerError(TapError):
    status = None
    retryable = False

    def __init__(self, message, status=None, api_text=""):
        super().__init__(message)
        self.status = status
        self.api_text = api_text


class RetryableError(KustomerError):
    retryable = True


class RateLimitError(RetryableError):
    """HTTP 429: waited out as the server's reset headers say."""

    reset_after = None  # seconds until the window reopens, when the answer said


class TransientError(RetryableError):
    """A fault that may pass: retried with exponential backoff."""


class ServerError(TransientError):
    pass


class TransportError(TransientError):
    """Connection reset, timeout, a cut-off body or a body that is not JSON."""


class UnreachableError(TransportError):
    """A host name that does not resolve, a refused connection or a failed TLS handshake. On a run's
    first request that is a wrong address, reported at once; once the API has answered, a fault
    like any other."""

    def __init__(self, message, why):
        super().__init__(message)
        self.why = why


class AnswerError(KustomerError):
    """An answer that does not fit the request it answers (a filter, sort or page not applied):
    following it could loop or skip records, so the stream stops."""


class BadRequestError(KustomerError):
    pass


class Refused(BadRequestError):
    """A 400 to something the tap relies on and Kustomer does not document, with the fact it
    contradicts (facts.py): a search context, the archive's context, a query on ids."""

    def __init__(self, message, status, api_text, fact):
        super().__init__(message, status, api_text)
        self.fact = fact


class AuthError(KustomerError):
    pass


class ForbiddenError(KustomerError):
    pass


class NotFoundError(KustomerError):
    pass


class PartialFailure(TapError):
    """Some selected streams failed; every other one ran to its end. Its own exit code, so that
    orchestrators alert on it while the STATE printed still resumes each stream."""

    exit_code = 3


class Interrupted(Exception):
    """SIGTERM or SIGINT: stop, with the state of what was fully written."""

    def __init__(self, signal_name):
        super().__init__(signal_name)
        self.signal_name = signal_name


class Stopped(Exception):
    """Raised inside a stream's thread when the run is stopping (a signal, or a run-wide failure)."""
