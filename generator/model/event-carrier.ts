// §8.1: `job.event` carries an event body whose shape is chosen by `payload.kind`. The dispatch
// from kind to body schema is derived from the events/ files present (issue 14 item 1): the
// validator API looks the kind up in its generated table, so no schema lists the kinds by hand.
export const EVENT_CARRIER = 'job.event';
