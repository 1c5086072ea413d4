"""What the instructor register knows about other apps' objects (see quanmin.core.facts).

"Instructors it has" (organisations C08): an organisation's instructors are its members whose
account is an active social sports instructor's. Organisations keep the members, people keep the
register; organisations ask this fact about their members' accounts, without importing people.

"Active instructors" (B09): whom the instructors' association of a city or county may enrol.
"""

from quanmin.core.facts import subset

from .models import Instructor


@subset("accounts.User", "active_instructor")
def active_instructor_accounts():
    """The accounts of active social sports instructors (the register as it stands), as a subquery."""
    return Instructor.objects.filter(status=Instructor.Status.ACTIVE, kind=Instructor.Kind.INSTRUCTOR,
                                     user__isnull=False).values("user_id")


@subset("people.Instructor", "active_instructor")
def active_instructors():
    """The active social sports instructors of the register: whom an instructors' association of the
    organisations' register may enrol (B09), as a subquery of their ids."""
    return Instructor.objects.filter(status=Instructor.Status.ACTIVE, kind=Instructor.Kind.INSTRUCTOR).values("id")
