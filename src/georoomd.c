/*
 * georoomd.c - the Socket.IO room hub: options (hubopt.h), then the hub,
 * the room contract, the control socket, the cluster and the metrics,
 * served until a signal.
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "cmdline.h"
#include "cluster.h"
#include "contract.h"
#include "ctl.h"
#include "ctlserver.h"
#include "exits.h"
#include "hub.h"
#include "hubopt.h"
#include "jwt.h"
#include "log.h"
#include "metricsd.h"
#include "serve.h"
#include "tlscert.h"

/* The most a key file may hold: a PEM RSA key of 16384 bits is 2.8 kB. */
#define KEY_FILE_MAX 65536

/*
 * Reads the key of --jwt-secret or --jwt-public-key into 'key' (empty).
 * A secret file's one trailing newline (CRLF too) is not part of the
 * secret, so that `echo secret > file` and an editor's file both work.
 * Returns 0, or an exit status with the reason printed.
 */
static int
load_jwt_key(const struct hubopt *o, struct jwt_key *key)
{
	char *buf, err[256];
	size_t len;
	FILE *f;
	int rc = 0;

	if ((f = fopen(o->jwt_file, "re")) == NULL) {
		fprintf(stderr, "georoomd: cannot open '%s': %s\n",
		    o->jwt_file, strerror(errno));
		return errno == ENOENT ? EX_NOINPUT : EX_CONFIG;
	}
	if ((buf = malloc(KEY_FILE_MAX + 1)) == NULL) {
		fclose(f);
		fprintf(stderr, "georoomd: out of memory\n");
		return EX_SOFTWARE;
	}
	len = fread(buf, 1, KEY_FILE_MAX + 1, f);
	if (ferror(f)) {
		fprintf(stderr, "georoomd: cannot read '%s': %s\n",
		    o->jwt_file, strerror(errno));
		rc = EX_CONFIG;
	} else if (len > KEY_FILE_MAX) {
		fprintf(stderr, "georoomd: '%s' is larger than %d bytes\n",
		    o->jwt_file, KEY_FILE_MAX);
		rc = EX_CONFIG;
	} else {
		if (!o->jwt_public && len > 0 && buf[len - 1] == '\n')
			len -= len > 1 && buf[len - 2] == '\r' ? 2 : 1;
		if ((o->jwt_public ?
		            jwt_key_set_pem(key, buf, len, err, sizeof(err)) :
		            jwt_key_set_secret(key, buf, len, err,
		                sizeof(err))) == -1) {
			fprintf(stderr, "georoomd: '%s': %s\n", o->jwt_file,
			    err);
			rc = errno == ENOMEM ? EX_SOFTWARE : EX_CONFIG;
		}
	}
	explicit_bzero(buf, KEY_FILE_MAX + 1);
	free(buf);
	fclose(f);
	return rc;
}

/* Lets the hub hold as many connections as the hard limit allows. */
static void
raise_fd_limit(struct log *log)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
			log_line(log, LOG_LEVEL_WARN,
			    "cannot raise the open "
			    "file limit: %s",
			    strerror(errno));
	}
}

int
main(int argc, char **argv)
{
	struct hubopt o;
	struct hub hub;
	struct hub_app app;
	struct ctlserver cs;
	struct metricsd metrics;
	struct cluster cluster;
	struct jwt_key jwt;
	struct tlscert tls;
	struct log log;
	char path[108], err[512];
	gid_t gid = (gid_t)-1;
	size_t i;
	int rc = EX_SOFTWARE;

	hubopt_init(&o);
	if (hubopt_parse(&o, argc, argv, &rc) == -1) {
		hubopt_release(&o);
		return rc;
	}

	log_init(&log, "georoomd",
	    o.verbosity <= 0     ? LOG_LEVEL_WARN :
	        o.verbosity == 1 ? LOG_LEVEL_INFO :
	                           LOG_LEVEL_DEBUG);
	log.time = o.log_time;
	o.hub.log = log_line;
	o.hub.log_arg = &log;
	o.hub.log_level = log.max;
	if (o.norigins > 0) {
		o.hub.origins = o.origins;
		o.hub.norigins = o.norigins;
	}
	if (o.hub.rate.rate != 0 && o.hub.rate.burst == 0)
		o.hub.rate.burst = o.hub.rate.rate < RATELIMIT_MAX / 2 ?
		    2 * o.hub.rate.rate :
		    RATELIMIT_MAX;
	o.hub.trusted = o.trusted;
	o.hub.ntrusted = o.ntrusted;
	o.serve.lws_log_level = LLL_ERR | (o.verbosity >= 3 ? LLL_WARN : 0);

	if (o.control == NULL) {
		if (ctl_default_path(NULL, getenv("XDG_RUNTIME_DIR"), path,
		        sizeof(path)) == -1) {
			fprintf(stderr,
			    "georoomd: default control socket path "
			    "too long; use --control\n");
			return EX_CONFIG;
		}
		o.control = path;
	}
	if (o.control_group != NULL) {
		struct group *gr = getgrnam(o.control_group);

		if (gr == NULL) {
			fprintf(stderr, "georoomd: no group '%s'\n",
			    o.control_group);
			return EX_CONFIG;
		}
		gid = gr->gr_gid;
	}

	/* Read before anything is set up, so that a wrong file stops the
	 * start with its reason. */
	memset(&tls, 0, sizeof(tls));
	if (o.tls_cert != NULL) {
		if (tlscert_init(&tls, o.tls_cert, o.tls_key, err,
		        sizeof(err)) == -1) {
			fprintf(stderr, "georoomd: %s\n", err);
			return errno == EINVAL ? EX_CONFIG :
			    errno == ENOMEM    ? EX_SOFTWARE :
			                         EX_NOINPUT;
		}
		o.serve.tls = &tls;
	}

	contract_app(&app);
	jwt_key_init(&jwt);
	if (o.jwt_file != NULL) {
		int st = load_jwt_key(&o, &jwt);

		if (st != 0) {
			tlscert_release(&tls);
			return st;
		}
		contract_require_tokens(&app, &jwt);
		log_line(&log, LOG_LEVEL_INFO, "tokens required (%s)",
		    jwt_key_algs(&jwt));
	}
	if (hub_init(&hub, &o.hub, &app) == -1) {
		fprintf(stderr, "georoomd: cannot set up the hub: %s\n",
		    strerror(errno));
		jwt_key_release(&jwt);
		tlscert_release(&tls);
		return EX_SOFTWARE;
	}
	if (o.hub.recovery.window_ms != 0)
		log_line(&log, LOG_LEVEL_INFO,
		    "connection state recovery: %u ms, at most %zu sessions "
		    "and %zu bytes of events",
		    o.hub.recovery.window_ms, o.hub.recovery.max_sessions,
		    o.hub.recovery.max_bytes);
	for (i = 0; i < o.nnamespaces; i++) {
		if (hub_add_namespace(&hub, o.namespaces[i]) == -1) {
			fprintf(stderr,
			    "georoomd: cannot add namespace '%s': "
			    "%s\n",
			    o.namespaces[i], strerror(errno));
			goto out_hub;
		}
	}
	raise_fd_limit(&log);
	if (o.use_redis) {
		if (cluster_init(&cluster, &hub, &o.redis, o.redis_key) ==
		        -1 ||
		    cluster_add_namespace(&cluster, "/") == -1) {
			fprintf(stderr,
			    "georoomd: cannot set up the cluster: %s\n",
			    strerror(errno));
			goto out_hub;
		}
		if (o.sharded)
			cluster_set_sharded(&cluster, o.shard_mode);
		for (i = 0; i < o.nnamespaces; i++)
			if (strcmp(o.namespaces[i], "/") != 0 &&
			    cluster_add_namespace(&cluster, o.namespaces[i]) ==
			        -1) {
				fprintf(stderr,
				    "georoomd: too many namespaces for the "
				    "cluster\n");
				goto out_cluster;
			}
		o.serve.cluster = &cluster;
	}

	ctlserver_init(&cs, &hub);
	if (ctlserver_listen(&cs, o.control, o.control_group ? 0660 : 0600,
	        gid, 0755, err, sizeof(err)) == -1) {
		fprintf(stderr, "georoomd: %s\n", err);
		rc = errno == EADDRINUSE              ? EX_UNAVAILABLE :
		    errno == EACCES || errno == EPERM ? EX_NOPERM :
		                                        EX_CONFIG;
		goto out_cluster;
	}
	if (o.use_metrics) {
		metricsd_init(&metrics, &hub, &cs.counters, &o.metrics_addr);
		o.serve.metrics = &metrics;
	}
	if (serve_run(&o.serve, &hub, &cs, err, sizeof(err)) == -1) {
		fprintf(stderr, "georoomd: %s\n", err);
		rc = errno == EADDRINUSE ? EX_UNAVAILABLE : EX_SOFTWARE;
		ctlserver_release(&cs);
		goto out_cluster;
	}
	log_line(&log, LOG_LEVEL_INFO, "stopped");
	rc = 0;
out_cluster:
	if (o.use_redis)
		cluster_release(&cluster);
out_hub:
	hub_release(&hub);
	jwt_key_release(&jwt);
	tlscert_release(&tls);
	hubopt_release(&o);
	return rc;
}
