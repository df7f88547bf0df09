# syntax=docker/dockerfile:1
# crm-analytics as a JVM container image, built from source in a first stage.
#
#   docker build -t crm-analytics .
#
# With a PostgreSQL server (the way to run more than one instance):
#   docker run -p 8080:8080 -e CRM_ANALYTICS_ADMIN_KEY=change-me \
#     -e CRM_DB_URL=jdbc:postgresql://db.example:5432/crm -e CRM_DB_USER=crm -e CRM_DB_PASSWORD=secret crm-analytics
# With the embedded PostgreSQL, its data in a volume:
#   docker run -p 8080:8080 -e CRM_ANALYTICS_ADMIN_KEY=change-me -v crm-data:/app/data crm-analytics
#
# Environment (README.md lists them all with their meaning):
#   CRM_ANALYTICS_ADMIN_KEY  bootstrap admin key for POST /api/v1/workspaces (unset: no workspace can be created)
#   CRM_DB_URL               PostgreSQL JDBC URL; unset: embedded PostgreSQL with data in CRM_DATA_DIR
#   CRM_DB_USER / CRM_DB_PASSWORD   default postgres / postgres
#   CRM_DB_POOL_SIZE         default 16
#   CRM_DB_WORK_MEM          PostgreSQL work_mem of the service's connections, default 64MB
#   CRM_ROLLUPS_EVERY        how often dirty days of the daily rollups are summed, default 1s (off: never)
#   CRM_DATA_DIR             default here /app/data/postgres (the volume)
#   CRM_HTTP_PORT            default 8080
#   CRM_MAX_BATCH_EVENTS / CRM_MAX_BODY_BYTES   default 5000 / 5242880
#   CRM_DEMO / CRM_DEMO_SEED / CRM_DEMO_SCALE   demo workspace, default false / 42 / 1

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
# the whole tree (less .dockerignore), so the build sees whatever the pom refers to
COPY . .
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q package -DskipTests

FROM eclipse-temurin:17-jre
# A fixed non-root uid, so that Kubernetes' runAsNonRoot can check it and volumes can be chowned to it.
RUN groupadd --system --gid 10001 crm \
    && useradd --system --uid 10001 --gid crm --home-dir /app --no-create-home crm \
    && mkdir -p /app/data \
    && chown -R crm:crm /app
WORKDIR /app
# The quarkus-app layout, dependencies first: they change less often than the application.
COPY --from=build --chown=crm:crm /src/target/quarkus-app/lib/ /app/lib/
COPY --from=build --chown=crm:crm /src/target/quarkus-app/quarkus-run.jar /app/
COPY --from=build --chown=crm:crm /src/target/quarkus-app/app/ /app/app/
COPY --from=build --chown=crm:crm /src/target/quarkus-app/quarkus/ /app/quarkus/
ENV CRM_HTTP_PORT=8080 \
    CRM_DATA_DIR=/app/data/postgres
VOLUME /app/data
USER 10001
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/quarkus-run.jar"]
