# Runs a command in a pseudo-terminal, waits until it hides the cursor (a
# prompt is up), types Ctrl-C, and prints: <exit code> <cursor shown again
# after it was hidden: 1 or 0> <colour escapes in the output: 1 or 0>.
# Usage: python3 pty-ctrl-c.py command args...
import os, pty, time, select, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out=b''
def drain(t, until=None):
    global out
    end=time.time()+t
    while time.time()<end:
        if until is not None and until in out: return
        r,_,_=select.select([fd],[],[],0.1)
        if r:
            try: out+=os.read(fd,65536)
            except OSError: return
drain(60, b'\x1b[?25l')
time.sleep(0.3)
os.write(fd, b'\x03')
drain(10)
_, status = os.waitpid(pid, 0)
code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)
tail = out[out.rfind(b'\x1b[?25l'):]
shown = int(b"\x1b[?25h" in tail)
coloured = int(b"\x1b[39m" in out or b"\x1b[90m" in out)
print(str(code) + " " + str(shown) + " " + str(coloured))
