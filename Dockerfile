# The API image: the same install as the README (pip install of this project), seeds included.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY stancegraph ./stancegraph
COPY schema ./schema
COPY graph ./graph
COPY api ./api
COPY seeds ./seeds
RUN pip install --no-cache-dir . && useradd --create-home stancegraph
USER stancegraph
ENV STANCEGRAPH_SEEDS=/app/seeds
EXPOSE 8000
CMD ["stancegraph", "serve", "--host", "0.0.0.0", "--port", "8000"]
