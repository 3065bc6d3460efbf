package dev.loopguard.cli;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;

/** The two pipes between a client and a server run in-process: what each writes, the other reads. */
public record Pipes(PipedInputStream serverIn, PipedOutputStream toServer, PipedInputStream clientIn,
    PipedOutputStream serverOut) {

  public static Pipes open() throws IOException {
    PipedInputStream serverIn = new PipedInputStream(1 << 16);
    PipedOutputStream toServer = new PipedOutputStream(serverIn);
    PipedInputStream clientIn = new PipedInputStream(1 << 16);
    PipedOutputStream serverOut = new PipedOutputStream(clientIn);
    return new Pipes(serverIn, toServer, clientIn, serverOut);
  }
}
