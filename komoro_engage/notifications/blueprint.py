"""Every URL of notifications, in one table (see core/urls.py): methods, rule, view.

The endpoint of each is "notifications.<view name>".
"""

from __future__ import annotations

from komoro_engage.core.urls import blueprint
from komoro_engage.notifications import follow_views, newsletter_views, views

bp = blueprint("notifications", __name__, views=(views, newsletter_views, follow_views), urls="""
    GET        /notifications                              views.index
    GET        /notifications/<int:notification_id>        views.follow
    POST       /notifications/<int:notification_id>/read   views.mark_read
    POST       /notifications/read-all                     views.mark_all_read
    GET POST   /account/notifications                      views.preferences
    GET POST   /unsubscribe/<token>                        views.unsubscribe
    GET        /newsletters                                newsletter_views.newsletters
    GET        /newsletters/<int:newsletter_id>            newsletter_views.newsletter
    GET        /account/following                          follow_views.following
    POST       /follow/<target_type>/<int:target_id>       follow_views.follow_item
    POST       /unfollow/<target_type>/<int:target_id>     follow_views.unfollow_item
""")
