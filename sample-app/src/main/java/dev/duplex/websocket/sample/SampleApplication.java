package dev.duplex.websocket.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The Duplex sample application: {@code mvn -pl sample-app -am spring-boot:run} from the repository
 * root, then open http://localhost:8080. Scheduling drives the tick broadcast, the session feed and
 * the outbound client's pings.
 */
@SpringBootApplication
@EnableScheduling
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
