"""Survey views: public pages, the staff builder, staff work on answers."""
