package com.o7tracker.track;

import com.o7tracker.dimension.Dimension;
import com.o7tracker.dimension.Values;
import com.o7tracker.dimension.Visit;
import com.o7tracker.geo.Countries;
import com.o7tracker.web.QueryString;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * What a tracking link's request tells of where its click came from, by the rules of
 * {@link Values} and {@link Countries}: the country, the Referer's host, the link's utm_source,
 * utm_medium and utm_campaign, the language the visitor weighs most, and the OS and browser the
 * User-Agent's verdict names. Nothing here waits for anything: the country database is in memory.
 */
final class VisitReader {

    private final Countries countries;
    private final String edgeHeader;

    VisitReader(Countries countries) {
        this.countries = countries;
        this.edgeHeader = countries.edgeHeader().orElse(null);
    }

    Visit read(Request request, String query, UserAgents.Verdict verdict) {
        HttpFields headers = request.getHeaders();
        String country = countries.of(edgeHeader == null ? null : headers.get(edgeHeader), Request.getRemoteAddr(request),
                countries.looksUpAddresses() ? headers.getValuesList(HttpHeader.X_FORWARDED_FOR) : List.of());
        return Visit.builder()
                .set(Dimension.COUNTRY, country)
                .set(Dimension.REFERRER, Values.referrer(headers.get(HttpHeader.REFERER)))
                .set(Dimension.UTM_SOURCE, Values.utm(QueryString.value(query, "utm_source")))
                .set(Dimension.UTM_MEDIUM, Values.utm(QueryString.value(query, "utm_medium")))
                .set(Dimension.UTM_CAMPAIGN, Values.utm(QueryString.value(query, "utm_campaign")))
                .set(Dimension.LANGUAGE, Values.language(headers.get(HttpHeader.ACCEPT_LANGUAGE)))
                .set(Dimension.OS, verdict.os())
                .set(Dimension.BROWSER, verdict.browser())
                .build();
    }
}
