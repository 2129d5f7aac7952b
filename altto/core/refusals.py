class Refused(Exception):
    """The rules refuse this; `message` says why, for the person, and `status` is the HTTP
    status a page showing it answers with. Raised by the forum's and the blog's actions."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status
