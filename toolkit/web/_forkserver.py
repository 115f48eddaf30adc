"""Imported only by the fork server of the check pool (`jobs.QuickPool` preloads it): the fork server, and
through it every check process, ends with the web server, even when the server is killed."""

from .work import end_with_parent

end_with_parent()
