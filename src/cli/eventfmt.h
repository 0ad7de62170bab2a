/*
 * eventfmt.h - the lines georoom-cli prints for what it receives.
 * Owns: the NDJSON line of an event and of an acknowledgement, built from
 * the packet's JSON text as received, so that numbers keep every digit;
 * and a binary packet's attachments put back where their placeholders
 * stand.  Pure: no I/O.  The lines, documented in georoom-cli(1):
 *
 *   {"event":"chat","data":ARG1,"args":[ARG1,ARG2,...],"ns":"/"}
 *   {"ack":"chat","data":ARG1,"args":[ARG1,ARG2,...],"ns":"/"}
 *
 * "data" is the first argument, null when there is none; "ack" names the
 * event that was acknowledged.
 */
#ifndef GEOROOM_EVENTFMT_H
#define GEOROOM_EVENTFMT_H

#include <stddef.h>
#include <sys/uio.h>

#include <jv.h>

/*
 * The line (a jv string, no newline) for an event whose payload is the
 * JSON text 'json' of 'len' bytes, an array [NAME, ARG...] as the codec
 * checked it, received in namespace 'ns' (borrowed).  Returns an invalid
 * jv when 'json' is not such an array.
 */
jv eventfmt_event(const char *json, size_t len, const char *ns);

/*
 * The line for an acknowledgement of event 'event' whose payload is the
 * array text 'json' [ARG...].
 */
jv eventfmt_ack(const char *event, const char *json, size_t len,
    const char *ns);

/*
 * The "data" of the line either of the above would build: the JSON text
 * of the first argument ('skip' is 1 for an event, whose first element is
 * its name, 0 for an ack), or "null".
 */
jv eventfmt_data(const char *json, size_t len, int skip);

/*
 * Replaces each {"_placeholder":true,"num":N} in 'data' (consumed) with
 * {"base64":"..."} holding attachment N of the 'natt' at 'att'
 * (borrowed).  Returns the new value; a placeholder whose number is out
 * of range becomes null.
 */
jv eventfmt_attach(jv data, const struct iovec *att, unsigned natt);

#endif
