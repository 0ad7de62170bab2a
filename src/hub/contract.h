/*
 * contract.h - the event contract georoomd's clients speak.
 * Owns: the meaning of join_room, leave_room, chat, broadcast and private,
 * the acknowledgements they answer with, the userIds sockets declare,
 * and, with tokens, what each socket's token lets it do.
 * Knows nothing of the network: it acts through the hub's API.
 * The contract is documented in georoom(7).
 */
#ifndef GEOROOM_CONTRACT_H
#define GEOROOM_CONTRACT_H

#include "hub.h"

/* Most distinct userIds remembered per socket. */
#define CONTRACT_USER_IDS_MAX 16

/* The application hooks for hub_init(). */
void contract_app(struct hub_app *app);

struct jwt_key;

/*
 * Makes the hooks of contract_app() refuse a socket's connect without a
 * token that 'key' (borrowed; it must outlive the hub) verifies, and hold
 * each socket to its token's claims (authz.h): "sub" is its userId,
 * "rooms" the rooms it may join, "publish" those it may send to.
 */
void contract_require_tokens(struct hub_app *app, struct jwt_key *key);

/*
 * Writes the room name for location id 'v' (borrowed) as JavaScript's
 * String(v) would: integers without a fraction, strings as they are, NUL
 * bytes included (a name is its bytes and length; a NUL follows them).
 * Returns the length, or -1 when 'v' is neither a finite number nor a
 * non-empty string, or the name does not fit.
 */
int contract_room_name(jv v, char *buf, size_t len);

#endif
