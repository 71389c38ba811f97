"""Access entries of a comment's own routes (edit, delete, report).

The comment is resident_a's, on the published proposal that ``proposals.build``
makes; posting a comment is each feature's route (proposals.py, projects.py).
"""

from tests.access import Access, expect, signed_in


def comment(world):
    return {"comment_id": world.extra["comment"]}


# Columns: anonymous, resident_a (author), resident_b, org_manager, staff, admin.
ENTRIES = [
    Access("comments.edit", "GET", expect(302, 200, 403, 403, 403, 403), args=comment),
    Access("comments.edit", "POST", expect(302, 302, 403, 403, 403, 403), args=comment,
           data={"body": "書き直しました。"}),
    Access("comments.delete", "POST", expect(302, 302, 403, 403, 302, 302), args=comment),
    Access("comments.report", "GET", signed_in(200), args=comment),
    Access("comments.report", "POST", signed_in(302), args=comment, data={"reason": "spam"}),
]
