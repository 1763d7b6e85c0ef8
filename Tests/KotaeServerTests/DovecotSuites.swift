import Testing

/// The suites that run a real Dovecot (and some a `kotae serve` or two beside it), one after
/// another: several at once on a small machine slowed every other test of the suite past
/// its time limits. Their own tests still run side by side with the rest.
@Suite(.serialized) enum DovecotSuites {}
