"""The keys rightsizer sets in a user's Lithops config, per compute backend (README "Lithops")."""
from rightsizer_lithops.config_mapping import StageConfig, executor_key, map_config

STAGE = StageConfig(workers=8, memory_mb=2048, vcpu=1.5)


def test_aws_lambda_sets_memory_and_workers_and_drops_cpu_with_a_warning() -> None:
    user = {"lithops": {"backend": "aws_lambda", "storage": "aws_s3"},
            "aws_lambda": {"execution_role": "arn:aws:iam::1:role/x", "region": "us-east-1", "max_workers": 3}}
    mapped = map_config(user, STAGE)
    section = mapped.config["aws_lambda"]
    assert mapped.backend == "aws_lambda"
    assert section["runtime_memory"] == 2048 and mapped.map_memory_mb == 2048
    assert section["max_workers"] == 8  # raised to the stage's workers
    assert section["worker_processes"] == 1 and mapped.config["lithops"]["chunksize"] == 1
    assert "runtime_cpu" not in section
    assert len(mapped.warnings) == 1 and "vcpu 1.5" in mapped.warnings[0]
    # The user's own keys stay as given, and the user's dict is not modified.
    assert section["execution_role"] == "arn:aws:iam::1:role/x" and section["region"] == "us-east-1"
    assert mapped.config["lithops"]["storage"] == "aws_s3"
    assert user["aws_lambda"]["max_workers"] == 3 and "runtime_memory" not in user["aws_lambda"]


def test_k8s_sets_cpu_and_keeps_a_larger_max_workers() -> None:
    user = {"lithops": {"backend": "k8s"}, "k8s": {"max_workers": 200, "docker_server": "docker.io"}}
    mapped = map_config(user, STAGE)
    section = mapped.config["k8s"]
    assert section["runtime_cpu"] == 1.5 and section["runtime_memory"] == 2048
    assert section["max_workers"] == 200
    assert section["docker_server"] == "docker.io"
    assert mapped.warnings == []


def test_code_engine_sets_cpu_and_creates_its_section_when_absent() -> None:
    mapped = map_config({"lithops": {"backend": "code_engine"}}, StageConfig(4, 4096, 1.0))
    assert mapped.config["code_engine"] == {
        "runtime_memory": 4096, "max_workers": 4, "worker_processes": 1, "runtime_cpu": 1.0,
    }


def test_localhost_runs_the_workers_at_once_with_this_interpreter() -> None:
    mapped = map_config({"lithops": {"backend": "localhost"}}, STAGE, python="/venv/bin/python")
    assert mapped.config["localhost"] == {"worker_processes": 8, "runtime": "/venv/bin/python"}
    assert mapped.map_memory_mb is None  # Lithops ignores memory on localhost, and says so
    assert len(mapped.warnings) == 1 and "memory and vCPU have no effect" in mapped.warnings[0]
    assert "chunksize" not in mapped.config["lithops"]
    kept = map_config({"lithops": {"mode": "localhost"}, "localhost": {"runtime": "/other/python"}}, STAGE)
    assert kept.backend == "localhost" and kept.config["localhost"]["runtime"] == "/other/python"


def test_no_backend_named_means_lithops_default_aws_lambda() -> None:
    assert map_config({}, STAGE).backend == "aws_lambda"


def test_memory_alone_does_not_need_another_executor_but_cpu_does() -> None:
    user = {"lithops": {"backend": "k8s"}}
    a = executor_key(map_config(user, StageConfig(8, 1024, 1.0)))
    assert a == executor_key(map_config(user, StageConfig(8, 4096, 1.0)))
    assert a != executor_key(map_config(user, StageConfig(8, 1024, 2.0)))
