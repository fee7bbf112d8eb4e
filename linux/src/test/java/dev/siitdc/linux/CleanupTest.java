package dev.siitdc.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CleanupTest {
    @Test
    void runsInReverseAndContinuesPastFailures() {
        List<String> ran = new ArrayList<>();
        Cleanup undo = new Cleanup();
        undo.push("first", () -> ran.add("first"));
        undo.push("second fails", () -> {
            ran.add("second");
            throw new IOException("no");
        });
        undo.push("third", () -> ran.add("third"));
        assertThat(undo.size()).isEqualTo(3);
        assertThat(undo.pending()).containsExactly("third", "second fails", "first");
        List<Cleanup.Failure> failures = undo.runAll();
        assertThat(ran).containsExactly("third", "second", "first");
        assertThat(failures).singleElement().satisfies(f -> {
            assertThat(f.description()).isEqualTo("second fails");
            assertThat(f.error()).hasMessage("no");
        });
        assertThat(undo.size()).isZero();
        assertThat(undo.runAll()).isEmpty();
    }

    @Test
    void closeThrowsWithEveryFailure() {
        Cleanup undo = new Cleanup();
        undo.push("a", () -> {
            throw new IllegalStateException("a failed");
        });
        undo.push("b", () -> {
            throw new IOException("b failed");
        });
        Cleanup.CleanupException e = catchThrowableOfType(Cleanup.CleanupException.class, undo::close);
        assertThat(e.failures()).extracting(Cleanup.Failure::description).containsExactly("b", "a");
        assertThat(e.getSuppressed()).hasSize(2);
        assertThat(e).hasMessageContaining("2 undo actions failed");
    }

    @Test
    void abortUndoesAndAttachesFailures() {
        List<String> ran = new ArrayList<>();
        Cleanup undo = new Cleanup();
        AutoCloseable resource = () -> ran.add("closed");
        assertThat(undo.pushClose("close it", resource)).isSameAs(resource);
        undo.push("fails", () -> {
            throw new IOException("cannot");
        });
        IOException cause = new IOException("start-up failed");
        assertThat(undo.abort(cause)).isSameAs(cause);
        assertThat(ran).containsExactly("closed");
        assertThat(cause.getSuppressed()).singleElement().satisfies(s -> assertThat(s).hasMessage("cannot"));
    }
}
