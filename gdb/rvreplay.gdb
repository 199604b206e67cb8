# gdb settings for debugging under rvreplay (`rvreplay replay|record ... --gdb PORT`):
#   gdb-multiarch -x gdb/rvreplay.gdb prog.elf -ex 'target remote :PORT'
# or `source gdb/rvreplay.gdb` in a session.
#
# A monitor command can move the replay (`monitor replay_seek ICOUNT`, `monitor snapshot load
# NAME`), and gdb keeps the registers and memory it read before: it reads them again only after
# the target stops. This hook makes it forget them after every monitor command, so `info
# registers`, `print` and `bt` show the new position.
define hookpost-monitor
  maintenance flush register-cache
  maintenance flush dcache
end
