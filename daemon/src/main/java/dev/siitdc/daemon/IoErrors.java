package dev.siitdc.daemon;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Short, operator-facing descriptions of I/O failures (the path is named by the caller). */
public final class IoErrors {
    private IoErrors() {}

    public static String describe(IOException e) {
        if (e instanceof NoSuchFileException) return "no such file or directory";
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof NotDirectoryException) return "a parent is not a directory";
        if (e instanceof FileAlreadyExistsException) return "already exists";
        if (e instanceof CharacterCodingException) return "not valid UTF-8 text";
        if (e instanceof FileSystemException fse && fse.getReason() != null) return fse.getReason();
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
