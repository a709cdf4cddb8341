package dev.cairn.core.verify;

import dev.cairn.core.integrity.port.ArtifactSource;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Consumer;

/**
 * A test source that lists and describes as {@code real} does, and runs a hook before it opens each
 * file: to hold a file until the test is ready, or to fail one. A test that also holds {@link
 * #describe} overrides it.
 */
class OpeningThrough implements ArtifactSource {

  /** Runs before {@code path} is opened; throwing refuses the open. */
  interface BeforeOpen {
    void accept(String path) throws IOException;
  }

  private final ArtifactSource real;
  private final BeforeOpen beforeOpen;

  OpeningThrough(ArtifactSource real, BeforeOpen beforeOpen) {
    this.real = real;
    this.beforeOpen = beforeOpen;
  }

  @Override
  public List<Entry> list() throws IOException {
    return real.list();
  }

  @Override
  public void list(Consumer<Entry> sink) throws IOException {
    real.list(sink);
  }

  @Override
  public InputStream open(String path) throws IOException {
    beforeOpen.accept(path);
    return real.open(path);
  }

  @Override
  public String describe() {
    return real.describe();
  }
}
