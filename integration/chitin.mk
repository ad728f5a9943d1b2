# chitin.mk: GNU make rules that run chitin gen (doc/build.md 2).
#
# Set what it reads, then include it:
#
#   CHITIN_OUTDIR = gen              # where the outputs go (default: .)
#   CHITIN_GEN    = --c --desc-c     # which outputs (the default)
#   CHITINFLAGS   = -I idl/include   # chitin gen's other options
#   vpath %.idl idl                  # where the .idl files are, if not here
#   include /usr/local/share/chitin/make/chitin.mk
#
#   prog.o: gen/sdk.h
#   prog: prog.o gen/sdk_desc.o
#
# CHITIN is the chitin to run: $CHITIN from the environment (or the
# command line) when it is not empty, else chitin on PATH.
#
# The pattern rule makes $(CHITIN_OUTDIR)/FILE.idl.stamp from FILE.idl: it
# runs chitin gen, which writes the outputs of the module (whose name must
# be FILE) into $(CHITIN_OUTDIR), and a dependency file FILE.idl.d beside
# the stamp naming every file FILE.idl imports, then touches the stamp.
# chitin leaves an output alone when its content is unchanged, so that what
# depends on it is not rebuilt; the stamp is what records that the run is
# done, and the outputs depend on it.  The dependency files are included,
# so that a change to any imported file runs chitin again.
#
# $(call chitin_outputs,MODULE...) lists the outputs of the modules.

# An empty CHITIN is unset, as CMake's and build.rs's integrations take
# it (doc/build.md 1); one from the command line is changed only there.
ifeq ($(strip $(CHITIN)),)
ifeq ($(origin CHITIN),command line)
override CHITIN = chitin
else
CHITIN = chitin
endif
endif
CHITIN_OUTDIR ?= .
CHITIN_GEN ?= --c --desc-c
CHITINFLAGS ?=

# The directory of the outputs as a prefix: empty for the current one.
chitin_dir = $(patsubst ./%,%,$(patsubst %//,%/,$(strip $(CHITIN_OUTDIR))/))

# The suffixes of the outputs CHITIN_GEN asks for; chitin gen without an
# output flag writes all four.
chitin_suffixes = $(if $(filter --c,$(CHITIN_GEN)),.h) \
	$(if $(filter --desc-c,$(CHITIN_GEN)),_desc.c) \
	$(if $(filter --json,$(CHITIN_GEN)),.json) \
	$(if $(filter --rust,$(CHITIN_GEN)),.rs) \
	$(if $(filter --c --desc-c --json --rust,$(CHITIN_GEN)),,.h _desc.c .json .rs)

chitin_outputs = $(foreach m,$(1),$(addprefix $(chitin_dir)$(m),$(strip $(chitin_suffixes))))

$(chitin_dir)%.idl.stamp: %.idl
	$(CHITIN) gen $(CHITIN_GEN) $(CHITINFLAGS) -o $(@D) -MD -MP -MF $(@:.stamp=.d) -MT $@ $<
	@touch $@

# An output is made by its stamp's rule.  Its own rule makes it again if
# it is gone while the stamp is not, and says so if it is still missing
# (a module not named as its file, or an output CHITIN_GEN leaves out).
define chitin_output_recipe
@if test ! -f $@; then rm -f $<; $(MAKE) --no-print-directory -f $(firstword $(MAKEFILE_LIST)) $<; fi
@test -f $@ || { echo "chitin.mk: $< made no $@: is the module of $*.idl named $(notdir $*), and its output in CHITIN_GEN ($(CHITIN_GEN))?" >&2; exit 1; }
endef

$(chitin_dir)%.h: $(chitin_dir)%.idl.stamp
	$(chitin_output_recipe)
$(chitin_dir)%_desc.c: $(chitin_dir)%.idl.stamp
	$(chitin_output_recipe)
$(chitin_dir)%.json: $(chitin_dir)%.idl.stamp
	$(chitin_output_recipe)
$(chitin_dir)%.rs: $(chitin_dir)%.idl.stamp
	$(chitin_output_recipe)

# Made through a chain of pattern rules, the stamps and outputs would be
# intermediate files, which make removes when it is done.
.PRECIOUS: $(chitin_dir)%.idl.stamp $(chitin_dir)%.h $(chitin_dir)%_desc.c \
	$(chitin_dir)%.json $(chitin_dir)%.rs

# The dependency files' rules are not the makefile's default goal.
chitin_default_goal := $(.DEFAULT_GOAL)
-include $(wildcard $(chitin_dir)*.idl.d)
.DEFAULT_GOAL := $(chitin_default_goal)
