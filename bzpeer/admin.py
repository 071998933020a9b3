"""What the admin sites of several apps share."""

from django.http import HttpRequest


class StaffReadOnlyAdmin:
    """Mixed into a ModelAdmin or inline: every staff member may read these rows (audit logs,
    histories); nobody adds, edits or deletes them here, because changes go through the
    services, which keep the history and tell the people concerned."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_staff

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_staff

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
