"""Signal handling for the main loops of ampdaemon and ampmon.

Handlers only record the signal. The main loop waits on a pipe that Python
writes a byte to for every signal (signal.set_wakeup_fd), so it wakes at once
and acts on the recorded flags outside of the handler.
"""

import os
import select
import signal


class SignalFlags(object):
    """Stop and reload requests received as signals; wait() sleeps until one arrives."""

    def __init__(self, stop=(signal.SIGTERM, signal.SIGINT), reload=(signal.SIGHUP,),
                 wake=()):
        self.stop_signal = None
        self.reload = False
        read_fd, write_fd = os.pipe()
        os.set_blocking(read_fd, False)
        os.set_blocking(write_fd, False)
        self.wakeup_fd = read_fd
        signal.set_wakeup_fd(write_fd)
        for signum in stop:
            signal.signal(signum, self._on_stop)
        for signum in reload:
            signal.signal(signum, self._on_reload)
        for signum in wake:
            signal.signal(signum, self._on_wake)

    def _on_stop(self, signum, frame):
        if self.stop_signal is None:
            self.stop_signal = signum

    def _on_reload(self, signum, frame):
        self.reload = True

    def _on_wake(self, signum, frame):
        pass  # the byte in the wakeup pipe is all that is needed

    def take_reload(self):
        """Return True once for each batch of reload signals received."""
        requested = self.reload
        self.reload = False
        return requested

    def drain(self):
        """Empty the wakeup pipe after select reported it readable."""
        try:
            while os.read(self.wakeup_fd, 512):
                pass
        except BlockingIOError:
            pass

    def wait(self, timeout):
        """Sleep up to timeout seconds, or less when a signal arrives."""
        readable, _, _ = select.select([self.wakeup_fd], [], [], max(0.0, timeout))
        if readable:
            self.drain()


def signal_name(signum):
    try:
        return signal.Signals(signum).name
    except ValueError:
        return "signal {}".format(signum)
