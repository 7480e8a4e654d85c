"""Data-protection duties of the centre as a data controller (GDPR): subject access, retention,
processing register, breach log, access reviews."""
