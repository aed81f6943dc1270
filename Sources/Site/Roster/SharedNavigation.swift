import Foundation

/// The navigation of one edition: every attendee whose page titles are the same shares one.
final class SharedNavigation: @unchecked Sendable {
    let templates: Templates
    let course: CourseConfig
    private var cached: (links: [Navigation.Link], navigation: Navigation)?

    init(templates: Templates, course: CourseConfig) {
        self.templates = templates
        self.course = course
    }

    func navigation(for links: [Navigation.Link], step: RenderStep) -> Navigation {
        if let cached, cached.links == links { return cached.navigation }
        let navigation = step.navigation(for: links, course: course)
        cached = (links, navigation)
        return navigation
    }
}
