package com.o7tracker.web;

/** The original service's error shape: {@code {"status":"error","msg":"..."}}. */
public record ErrorBody(String status, String msg) {

    public static ErrorBody of(String msg) {
        return new ErrorBody("error", msg);
    }
}
