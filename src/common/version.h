/* version.h - the toolkit's version, shared by every program. */
#ifndef GEOROOM_VERSION_H
#define GEOROOM_VERSION_H

#define GEOROOM_VERSION "0.1.0"

#endif
