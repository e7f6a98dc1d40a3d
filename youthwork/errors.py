"""The site's 400 page: in Chinese, naming what was wrong when the refusal is one of ours.

Django's own handler renders 400.html without a context, so a refusal such as “网址中的筛选条件无效”
(youthwork.admin.lookups, the admin's exports) would reach the user as a bare “请求无效”. Only a
BadRequest with a Chinese message is this project's word to the user; Django's own messages (a forged
host, a broken session, too many fields) are English, for the log, and are not shown.
"""

import re

from django.core.exceptions import BadRequest
from django.http import HttpResponseBadRequest
from django.template import loader

_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def bad_request(request, exception=None):
    message = str(exception) if isinstance(exception, BadRequest) else ""
    reason = message if _CHINESE.search(message) else ""
    return HttpResponseBadRequest(loader.get_template("400.html").render({"reason": reason}))
