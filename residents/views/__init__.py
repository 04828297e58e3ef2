"""Registry pages, one module per part: the registry itself (``registry``), special care
after enrolment (``care``), moving and status changes (``moves``), households
(``households``). Thin: scoping through governance.web, reads through selectors, writes
through services."""
