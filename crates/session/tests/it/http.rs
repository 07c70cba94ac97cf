//! Published ports reached from the host: `Session::http_get` (the UI's browser panel) and the
//! host's `curl`/`wget`. What the servers answer is pinned by the recorded sessions
//! `todo-list-over-http` and `ports-publish-and-port-command`; these tests cover the API.

use layerbox_session::Session;

fn run(s: &mut Session, line: &str) -> String {
    s.run_line(line).text()
}

#[test]
fn http_get_reaches_the_todo_app_and_adds_an_item() {
    let mut s = Session::new();
    run(
        &mut s,
        "docker run -d --name todo -p 8010:80 diamol/ch06-todo-list",
    );
    let (status, body) = s.http_get(8010, "/").expect("the app answers");
    assert_eq!(status, 200);
    assert!(body.contains("<p>Nothing to do.</p>"), "{body}");
    let (status, body) = s
        .http_get(8010, "/cgi-bin/add.cgi?item=buy%20milk")
        .expect("added");
    assert_eq!((status, body.as_str()), (200, "added: buy milk\n"));
    let (_, body) = s.http_get(8010, "/").expect("the app answers");
    assert!(body.contains("<li>buy milk</li>"), "{body}");
    assert_eq!(
        run(&mut s, "docker exec todo cat /data/todo-list.db"),
        "buy milk\n"
    );
    let (status, _) = s.http_get(8010, "/nope").expect("a 404 page");
    assert_eq!(status, 404);
}

#[test]
fn http_get_to_a_closed_port_gives_curls_reason() {
    let mut s = Session::new();
    assert_eq!(
        s.http_get(8010, "/"),
        Err(
            "Failed to connect to localhost port 8010 after 0 ms: Couldn't connect to server"
                .into()
        )
    );
    run(&mut s, "docker run -d -p 8010:80 alpine sleep 1000");
    assert_eq!(
        s.http_get(8010, "/"),
        Err("Recv failure: Connection reset by peer".into())
    );
}

#[test]
fn nginx_serves_a_bind_mounted_directory_on_its_published_port() {
    let mut s = Session::new();
    run(&mut s, "mkdir html && echo '<h1>hi</h1>' > html/index.html");
    run(
        &mut s,
        "docker run -d --name web -p 8080:80 -v $(pwd)/html:/usr/share/nginx/html:ro nginx",
    );
    assert_eq!(run(&mut s, "curl http://localhost:8080/"), "<h1>hi</h1>\n");
    assert_eq!(run(&mut s, "wget -qO- localhost:8080"), "<h1>hi</h1>\n");
    run(&mut s, "echo '<h1>changed</h1>' > html/index.html");
    assert_eq!(
        s.http_get(8080, "/index.html"),
        Ok((200, "<h1>changed</h1>\n".into()))
    );
    run(&mut s, "docker stop web");
    let out = s.run_line("curl localhost:8080");
    assert_eq!(out.code, 7);
}

#[test]
fn a_port_is_free_again_once_its_container_stops() {
    let mut s = Session::new();
    run(&mut s, "docker run -d --name w1 -p 8010:80 nginx");
    let clash = s.run_line("docker run -d --name w2 -p 8010:80 nginx");
    assert_eq!(clash.code, 125);
    assert!(clash
        .text()
        .contains("Bind for 0.0.0.0:8010 failed: port is already allocated"));
    run(&mut s, "docker stop w1");
    assert_eq!(run(&mut s, "docker start w2"), "w2\n");
    assert_eq!(
        run(&mut s, "docker port w2"),
        "80/tcp -> 0.0.0.0:8010\n80/tcp -> [::]:8010\n"
    );
}

#[test]
fn a_server_started_in_an_interactive_shell_is_reachable() {
    let mut s = Session::new();
    run(&mut s, "docker run -it --name box -p 8000:8000 alpine");
    run(&mut s, "mkdir /www && echo hello > /www/index.html");
    run(&mut s, "httpd -p 8000 -h /www");
    assert_eq!(
        run(&mut s, "wget -q -O - http://localhost:8000/"),
        "hello\n"
    );
    run(&mut s, "exit");
    // The shell was the container's main process: the container, and its server, are gone.
    assert!(s.http_get(8000, "/").is_err());
}
