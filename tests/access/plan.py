"""Access entries of the public plan pages."""

from tests.access import Access, everyone

ENTRIES = [
    Access("plan.home", "GET", everyone(200)),
    Access("plan.policy_area", "GET", everyone(200), args={"number": 1}),
    Access("plan.measure", "GET", everyone(200), args={"code": "1-1"}),
    Access("plan.priority_item", "GET", everyone(200), args={"number": 1}),
    Access("plan.districts", "GET", everyone(200)),
]
