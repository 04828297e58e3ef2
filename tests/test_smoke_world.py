def test_the_test_world_builds_with_one_user_per_persona(world):
    assert set(world.users) == {
        "worker", "worker2", "community", "street", "district", "leader", "dept",
        "mediator", "petition", "admin",
    }  # fmt: skip
