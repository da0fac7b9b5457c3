#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Regenerate configure, Makefile.in and build-aux/ from the sources.
exec autoreconf -fi
